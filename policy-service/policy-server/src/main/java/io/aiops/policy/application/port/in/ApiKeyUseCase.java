package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.IssuedApiKey;
import java.util.Optional;

/** Issues API keys and recognises them; keys are kept only as SHA-256 hashes. */
public interface ApiKeyUseCase {

  IssuedApiKey issue(ApiKeyRequest request);

  Optional<ApiPrincipal> authenticate(String presentedKey);

  /** Stores the given key as an admin key unless it is already known (safe when several instances start at once). */
  void ensureAdminKey(String key);
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ApiRole;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores API keys by the SHA-256 hash of the key. */
public interface ApiKeyStore {

  Optional<ApiPrincipal> findActiveByHash(String keyHash);

  /** False when a key with this hash exists already. */
  boolean insertIfAbsent(UUID id, String name, String keyHash, ApiRole role, List<String> projects, Instant createdAt);
}

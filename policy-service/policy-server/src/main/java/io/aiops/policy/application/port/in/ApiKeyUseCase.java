package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.IssuedApiKey;
import java.util.Optional;
import java.util.UUID;

/** Issues API keys and recognises them; keys are kept only as SHA-256 hashes. */
public interface ApiKeyUseCase {

    IssuedApiKey issue(ApiKeyRequest request, ApiPrincipal actor);

    /** Revokes the key at once (this instance forgets it immediately; others within their cache time). */
    void revoke(UUID keyId, ApiPrincipal actor);

    /** Issues a replacement with the same name, role and projects; the old key stays valid for the grace period. */
    IssuedApiKey rotate(UUID keyId, ApiPrincipal actor);

    Optional<ApiPrincipal> authenticate(String presentedKey);

    /**
     * Whether the key with this id is still valid now: not revoked, its rotation grace not over. For sessions opened
     * with a key (the dashboards), which must end with it; as fresh as {@link #authenticate} (the same cache time).
     */
    boolean isActive(UUID keyId);

    /** Stores the given key as an admin key unless it is already known (safe when several instances start at once). */
    void ensureAdminKey(String key);
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ApiRole;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores API keys by the SHA-256 hash of the key. */
public interface ApiKeyStore {

    /** A key that is not revoked, with the moment a rotation ends its validity (null: no end). */
    record ActiveKey(ApiPrincipal principal, Instant expiresAt) {}

    /** A key as stored, without its hash. */
    record StoredKey(
            UUID id,
            String name,
            ApiRole role,
            List<String> projects,
            Instant revokedAt,
            Instant expiresAt,
            UUID replacedBy) {}

    /** The key with this hash unless it is revoked or its rotation grace period ended before {@code now}. */
    Optional<ActiveKey> findActiveByHash(String keyHash, Instant now);

    Optional<StoredKey> findById(UUID id);

    /** False when a key with this hash exists already. */
    boolean insertIfAbsent(
            UUID id, String name, String keyHash, ApiRole role, List<String> projects, Instant createdAt);

    /** Marks the key revoked; false when it was revoked already. */
    boolean revoke(UUID id, Instant at);

    /** Ends the key's validity at {@code expiresAt} (kept if already earlier) and records its replacement. */
    void expireForRotation(UUID id, Instant expiresAt, UUID replacedBy);
}

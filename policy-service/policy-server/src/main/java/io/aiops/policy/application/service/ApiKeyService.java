package io.aiops.policy.application.service;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.ApiKeyStore;
import io.aiops.policy.application.port.out.ApiKeyStore.ActiveKey;
import io.aiops.policy.application.port.out.ApiKeyStore.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Issues, recognises, revokes and rotates API keys. Keys are random 256-bit values; only their SHA-256 hash is stored,
 * which also makes the lookup cacheable: recognised keys are kept in memory for {@code cacheTtl} so each request does
 * not hit the database. Revoking clears this instance's cache at once; other instances stop accepting the key within
 * {@code cacheTtl}. Rotation issues a replacement and lets the old key work for {@code rotationGrace}, so callers can
 * switch without downtime.
 */
public class ApiKeyService implements ApiKeyUseCase {

    private static final int CACHE_LIMIT = 10_000;

    private final ApiKeyStore keys;
    private final Clock clock;
    private final AuditRecorder audit;
    private final Duration cacheTtl;
    private final Duration rotationGrace;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CachedPrincipal> recognised = new ConcurrentHashMap<>();

    private final Map<UUID, CachedState> states = new ConcurrentHashMap<>();

    private record CachedPrincipal(ApiPrincipal principal, Instant loadedAt, Instant expiresAt) {}

    private record CachedState(boolean active, Instant loadedAt, Instant expiresAt) {}

    public ApiKeyService(
            ApiKeyStore keys, Clock clock, AuditRecorder audit, Duration cacheTtl, Duration rotationGrace) {
        this.keys = keys;
        this.clock = clock;
        this.audit = audit;
        this.cacheTtl = cacheTtl;
        this.rotationGrace = rotationGrace;
    }

    @Override
    @Transactional
    public IssuedApiKey issue(ApiKeyRequest request, ApiPrincipal actor) {
        if (request == null) {
            throw RequestRejected.invalid(null, "an API key request is required");
        }
        // name, role and project names are the request's Bean Validation rules
        List<String> projects = request.projects() == null ? List.of() : List.copyOf(request.projects());
        if (!actor.covers(projects)) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN,
                    "projects",
                    "this API key is limited to projects " + actor.projects() + " and may only issue keys within them");
        }
        return issueUnchecked(request.name(), request.role(), projects, actor, null);
    }

    @Override
    @Transactional
    public void revoke(UUID keyId, ApiPrincipal actor) {
        StoredKey key = manageable(keyId, actor);
        Instant now = clock.instant();
        if (keys.revoke(keyId, now)) {
            forget(keyId);
            audit.policyChange(
                    actor, null, "api-key", keyId.toString(), describe(key, null), describe(key, "revoked"), now);
        }
    }

    @Override
    @Transactional
    public IssuedApiKey rotate(UUID keyId, ApiPrincipal actor) {
        StoredKey old = manageable(keyId, actor);
        if (old.revokedAt() != null) {
            throw new RequestRejected(RequestRejected.Kind.CONFLICT, null, "API key " + keyId + " is revoked");
        }
        Instant now = clock.instant();
        if (old.expiresAt() != null && !old.expiresAt().isAfter(now)) {
            throw new RequestRejected(RequestRejected.Kind.CONFLICT, null, "API key " + keyId + " has expired");
        }
        IssuedApiKey replacement = issueUnchecked(old.name(), old.role(), old.projects(), actor, keyId);
        keys.expireForRotation(keyId, now.plus(rotationGrace), replacement.id());
        // cached entries carry the old expiry; drop them so the grace period applies here at once
        forget(keyId);
        audit.policyChange(
                actor,
                null,
                "api-key",
                keyId.toString(),
                describe(old, null),
                describe(old, "rotated: valid until " + now.plus(rotationGrace) + ", replaced by " + replacement.id()),
                now);
        return replacement;
    }

    private IssuedApiKey issueUnchecked(
            String name, ApiRole role, List<String> projects, ApiPrincipal actor, UUID replaces) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = "aiops_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        keys.insertIfAbsent(id, name, hash(key), role, projects, now);
        StoredKey created = new StoredKey(id, name, role, projects, null, null, null);
        audit.policyChange(
                actor,
                null,
                "api-key",
                id.toString(),
                null,
                describe(created, replaces == null ? "issued" : "issued to replace " + replaces),
                now);
        return new IssuedApiKey(id, name, role, projects, key);
    }

    private StoredKey manageable(UUID keyId, ApiPrincipal actor) {
        StoredKey key = keys.findById(keyId).orElseThrow(() -> RequestRejected.notFound("no API key " + keyId));
        if (!actor.covers(key.projects())) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN,
                    "id",
                    "this API key may not manage keys outside projects " + actor.projects());
        }
        return key;
    }

    /** What the audit trail keeps of a key: never the key or its hash. */
    private static Map<String, Object> describe(StoredKey key, String state) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", key.name());
        description.put("role", key.role().name());
        description.put("projects", key.projects());
        description.put("state", state == null ? (key.revokedAt() != null ? "revoked" : "active") : state);
        return description;
    }

    /** Drops the key from the cache now and again after commit, so a lookup racing the change cannot re-cache it. */
    private void forget(UUID keyId) {
        recognised.values().removeIf(cached -> keyId.equals(cached.principal().keyId()));
        states.remove(keyId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    recognised
                            .values()
                            .removeIf(cached -> keyId.equals(cached.principal().keyId()));
                    states.remove(keyId);
                }
            });
        }
    }

    // no transaction: one indexed read, and a cache hit should not take a pooled connection
    @Override
    public Optional<ApiPrincipal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        String hash = hash(presentedKey);
        Instant now = clock.instant();
        CachedPrincipal cached = recognised.get(hash);
        if (cached != null
                && cached.loadedAt().plus(cacheTtl).isAfter(now)
                && !cached.loadedAt().isAfter(now)
                && (cached.expiresAt() == null || cached.expiresAt().isAfter(now))) {
            return Optional.of(cached.principal());
        }
        Optional<ActiveKey> active = keys.findActiveByHash(hash, now);
        if (active.isPresent()) {
            if (recognised.size() >= CACHE_LIMIT) {
                recognised.clear();
            }
            recognised.put(
                    hash,
                    new CachedPrincipal(
                            active.get().principal(), now, active.get().expiresAt()));
        } else {
            recognised.remove(hash);
        }
        return active.map(ActiveKey::principal);
    }

    // no transaction, as authenticate: one read by primary key at most every cacheTtl per key
    @Override
    public boolean isActive(UUID keyId) {
        if (keyId == null) {
            return false;
        }
        Instant now = clock.instant();
        CachedState cached = states.get(keyId);
        if (cached != null
                && cached.loadedAt().plus(cacheTtl).isAfter(now)
                && !cached.loadedAt().isAfter(now)
                && (cached.expiresAt() == null || cached.expiresAt().isAfter(now))) {
            return cached.active();
        }
        Optional<StoredKey> key = keys.findById(keyId);
        boolean active = key.isPresent()
                && key.get().revokedAt() == null
                && (key.get().expiresAt() == null || key.get().expiresAt().isAfter(now));
        if (states.size() >= CACHE_LIMIT) {
            states.clear();
        }
        states.put(
                keyId,
                new CachedState(active, now, key.map(StoredKey::expiresAt).orElse(null)));
        return active;
    }

    @Override
    @Transactional
    public void ensureAdminKey(String key) {
        if (key == null || key.isBlank()) {
            return;
        }
        keys.insertIfAbsent(UUID.randomUUID(), "bootstrap-admin", hash(key), ApiRole.ADMIN, List.of(), clock.instant());
    }

    static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

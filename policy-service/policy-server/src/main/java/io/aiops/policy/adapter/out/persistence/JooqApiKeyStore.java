package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.API_KEYS;

import io.aiops.policy.api.ApiRole;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.out.ApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** API keys in the {@code api_keys} table, looked up by hash. */
@Repository
class JooqApiKeyStore implements ApiKeyStore {

    private final DSLContext db;

    JooqApiKeyStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<ActiveKey> findActiveByHash(String keyHash, Instant now) {
        return db.selectFrom(API_KEYS)
                .where(API_KEYS.KEY_HASH
                        .eq(keyHash)
                        .and(API_KEYS.REVOKED_AT.isNull())
                        .and(API_KEYS.EXPIRES_AT.isNull().or(API_KEYS.EXPIRES_AT.gt(ColumnValues.utc(now)))))
                .fetchOptional(r -> new ActiveKey(
                        new ApiPrincipal(
                                r.getId(), r.getName(), ApiRole.valueOf(r.getRole()), List.of(r.getProjects())),
                        ColumnValues.instant(r.getExpiresAt())));
    }

    @Override
    public Optional<StoredKey> findById(UUID id) {
        return db.selectFrom(API_KEYS)
                .where(API_KEYS.ID.eq(id))
                .fetchOptional(r -> new StoredKey(
                        r.getId(),
                        r.getName(),
                        ApiRole.valueOf(r.getRole()),
                        List.of(r.getProjects()),
                        ColumnValues.instant(r.getRevokedAt()),
                        ColumnValues.instant(r.getExpiresAt()),
                        r.getReplacedBy()));
    }

    @Override
    public boolean revoke(UUID id, Instant at) {
        return db.update(API_KEYS)
                        .set(API_KEYS.REVOKED_AT, ColumnValues.utc(at))
                        .where(API_KEYS.ID.eq(id).and(API_KEYS.REVOKED_AT.isNull()))
                        .execute()
                == 1;
    }

    @Override
    public void expireForRotation(UUID id, Instant expiresAt, UUID replacedBy) {
        db.update(API_KEYS)
                .set(
                        API_KEYS.EXPIRES_AT,
                        DSL.least(
                                DSL.coalesce(API_KEYS.EXPIRES_AT, DSL.val(ColumnValues.utc(expiresAt))),
                                DSL.val(ColumnValues.utc(expiresAt))))
                .set(API_KEYS.REPLACED_BY, replacedBy)
                .where(API_KEYS.ID.eq(id))
                .execute();
    }

    @Override
    public boolean insertIfAbsent(
            UUID id, String name, String keyHash, ApiRole role, List<String> projects, Instant createdAt) {
        return db.insertInto(API_KEYS)
                        .set(API_KEYS.ID, id)
                        .set(API_KEYS.NAME, name)
                        .set(API_KEYS.KEY_HASH, keyHash)
                        .set(API_KEYS.ROLE, role.name())
                        .set(API_KEYS.PROJECTS, projects.toArray(String[]::new))
                        .set(API_KEYS.CREATED_AT, ColumnValues.utc(createdAt))
                        .onConflict(API_KEYS.KEY_HASH)
                        .doNothing()
                        .execute()
                == 1;
    }
}

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
import org.springframework.stereotype.Repository;

/** API keys in the {@code api_keys} table, looked up by hash. */
@Repository
class JooqApiKeyStore implements ApiKeyStore {

  private final DSLContext db;

  JooqApiKeyStore(DSLContext db) {
    this.db = db;
  }

  @Override
  public Optional<ApiPrincipal> findActiveByHash(String keyHash) {
    return db.selectFrom(API_KEYS)
        .where(API_KEYS.KEY_HASH.eq(keyHash).and(API_KEYS.REVOKED_AT.isNull()))
        .fetchOptional(
            r -> new ApiPrincipal(r.getId(), r.getName(), ApiRole.valueOf(r.getRole()), List.of(r.getProjects())));
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

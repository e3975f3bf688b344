package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ROUTING_POLICIES;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.RoutingPoliciesRecord;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Routing policies in the {@code routing_policies} table, candidates as a jsonb array, a block as its reason. */
@Repository
class JooqRoutingPolicyStore implements RoutingPolicyStore {

    private static final TypeReference<List<RoutingPolicy.Target>> TARGETS = new TypeReference<>() {};

    private final DSLContext db;

    JooqRoutingPolicyStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<RoutingPolicy> findAll() {
        return db.selectFrom(ROUTING_POLICIES).orderBy(ROUTING_POLICIES.ID).fetch(JooqRoutingPolicyStore::toPolicy);
    }

    @Override
    public Optional<RoutingPolicy> findById(String id) {
        return db.selectFrom(ROUTING_POLICIES)
                .where(ROUTING_POLICIES.ID.eq(id))
                .fetchOptional(JooqRoutingPolicyStore::toPolicy);
    }

    @Override
    public void upsert(RoutingPolicy policy) {
        RoutingPoliciesRecord row = db.newRecord(ROUTING_POLICIES);
        row.setId(policy.id());
        row.setProject(policy.project());
        row.setTaskKind(policy.taskKind());
        row.setCandidates(ColumnValues.toJsonb(policy.candidates()));
        row.setBlockReason(policy.blockReason());
        db.insertInto(ROUTING_POLICIES)
                .set(row)
                .onConflict(ROUTING_POLICIES.ID)
                .doUpdate()
                .set(row)
                .set(ROUTING_POLICIES.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    private static RoutingPolicy toPolicy(RoutingPoliciesRecord r) {
        return new RoutingPolicy(
                r.getId(),
                r.getProject(),
                r.getTaskKind(),
                ColumnValues.fromJsonb(r.getCandidates(), TARGETS),
                r.getBlockReason());
    }
}

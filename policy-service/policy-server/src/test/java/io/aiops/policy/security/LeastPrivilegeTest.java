package io.aiops.policy.security;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.support.PolicyServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service serves requests as a role that cannot rewrite the audit trail: connected as that role (what a leaked
 * service credential or an injected statement gets), nothing changes an entry, and the trigger cannot be avoided.
 * The schema's owner migrated; the role was created and granted by the migrations' afterMigrate step.
 */
class LeastPrivilegeTest extends PolicyServerTest {

    private String project;

    @BeforeEach
    void someAuditEntries() {
        project = unique("least");
        String model = "least-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        Decision decision = worker.decide(request(project, "classify", 100, 50));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 100L, 0L, 0L, 40L, 0L, 30L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        "q",
                        "a"));
    }

    @Test
    void theServiceRunsAsARoleThatOwnsNothing() {
        assertThat(db.fetchValue("SELECT current_user")).isEqualTo(RUNTIME_ROLE);
        assertThat(db.fetchValue(
                        "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = ?",
                        RUNTIME_ROLE))
                .isEqualTo(false);
        assertThat(db.fetchValue(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()" + " AND tableowner = ?",
                        RUNTIME_ROLE))
                .isEqualTo(0L);
    }

    @Test
    void theRuntimeRoleCannotChangeDeleteOrTruncateAnAuditEntry() {
        assertThatThrownBy(() -> db.execute("UPDATE audit_entries SET model = 'other' WHERE project = ?", project))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.execute("DELETE FROM audit_entries WHERE project = ?", project))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.execute("TRUNCATE audit_entries"))
                .rootCause()
                .hasMessageContaining("permission denied");
        // setting the purge flag by hand does not help: there is no UPDATE right to use it with
        assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.dsl().execute("SELECT set_config('aiops.audit_purge', 'on', true)");
                    tx.dsl()
                            .execute(
                                    "UPDATE audit_entries SET payload = NULL, purged_at = now() WHERE project = ?",
                                    project);
                }))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThat(db.fetchCount(
                        AUDIT_ENTRIES, AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.PAYLOAD.isNull())))
                .isZero();
    }

    @Test
    void theRuntimeRoleCannotSwitchTheTriggerOffOrAlterTheTable() {
        assertThatThrownBy(() -> db.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
                .rootCause()
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> db.execute("DROP TRIGGER audit_entries_append_only ON audit_entries"))
                .rootCause()
                .hasMessageContaining("must be owner");
        assertThatThrownBy(() -> db.transaction(tx -> tx.dsl().execute("SET LOCAL session_replication_role = replica")))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.execute("DELETE FROM flyway_schema_history"))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThat(viewer.verifyAudit(project).intact()).isTrue();
    }
}

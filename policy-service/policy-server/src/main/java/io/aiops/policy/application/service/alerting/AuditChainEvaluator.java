package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.service.AuditRecorder;
import io.aiops.policy.domain.audit.ChainVerdict;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AUDIT_CHAIN_BROKEN: fired when verification finds a broken chain; once per broken entry. */
public final class AuditChainEvaluator {

    private final AlertRuleStore rules;
    private final AlertFiring firing;
    private final Clock clock;

    public AuditChainEvaluator(AlertRuleStore rules, AlertFiring firing, Clock clock) {
        this.rules = rules;
        this.firing = firing;
        this.clock = clock;
    }

    /** Fires for each broken chain a rule watches; returns how many alerts were new. */
    public int auditChainsBroken(List<ChainVerdict> broken) {
        Instant now = clock.instant();
        List<StoredRule> watching = rules.findByKinds(List.of(AlertKind.AUDIT_CHAIN_BROKEN));
        int fired = 0;
        for (ChainVerdict verdict : broken) {
            String project = AuditRecorder.ORGANISATION.equals(verdict.project()) ? null : verdict.project();
            for (StoredRule rule : watching) {
                if (rule.rule().project() != null && !rule.rule().project().equals(project)) {
                    continue;
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("chain", verdict.project());
                details.put("brokenSeq", String.valueOf(verdict.brokenSeq()));
                details.put("brokenEntryId", String.valueOf(verdict.brokenEntryId()));
                details.put("problem", verdict.problem());
                String message = "Audit chain of " + verdict.project() + " is broken at entry " + verdict.brokenSeq()
                        + ": " + verdict.problem();
                // one alert per break: the hourly verification finding the same entry again stays quiet
                if (firing.fire(
                        rule,
                        project,
                        "audit-chain:" + verdict.project(),
                        "entry:" + verdict.brokenSeq() + ":" + verdict.brokenEntryId(),
                        message,
                        details,
                        now)) {
                    fired++;
                }
            }
        }
        return fired;
    }
}

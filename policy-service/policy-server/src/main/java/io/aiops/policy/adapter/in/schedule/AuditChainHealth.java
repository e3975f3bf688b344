package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.config.PolicyServerProperties;
import io.aiops.policy.domain.audit.ChainVerdict;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Verifies every project's audit chain on a schedule ({@code aiops.audit.verification-interval}). A broken chain is
 * logged as an error, raises the AUDIT_CHAIN_BROKEN alerts (once per broken entry) and turns the {@code auditChain}
 * health indicator DOWN, naming the project and the first broken entry, until a later verification finds every chain
 * intact.
 */
@Component("auditChain")
public class AuditChainHealth implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainHealth.class);

    private final AuditUseCase audit;
    private final EvaluateAlertsUseCase alerts;
    private final Clock clock;
    private final boolean verificationEnabled;
    private volatile Health health =
            Health.unknown().withDetail("reason", "not verified yet").build();

    AuditChainHealth(AuditUseCase audit, EvaluateAlertsUseCase alerts, Clock clock, PolicyServerProperties properties) {
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
        this.verificationEnabled = properties.audit().verificationEnabled();
    }

    @Scheduled(
            fixedDelayString = "${aiops.audit.verification-interval:PT1H}",
            initialDelayString = "${aiops.audit.verification-interval:PT1H}")
    void scheduledVerification() {
        if (verificationEnabled) {
            verifyAll();
        }
    }

    /** Verifies every chain now and updates the health; returns the broken ones. */
    public List<ChainVerdict> verifyAll() {
        Instant started = clock.instant();
        List<ChainVerdict> verdicts = audit.verifyAll();
        List<ChainVerdict> broken = verdicts.stream().filter(v -> !v.intact()).toList();
        if (broken.isEmpty()) {
            health = Health.up()
                    .withDetail("verifiedAt", started.toString())
                    .withDetail("chains", verdicts.size())
                    .build();
            return broken;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (ChainVerdict v : broken) {
            LOG.error(
                    "Audit chain of project {} is broken at entry {} ({}): {}",
                    v.project(),
                    v.brokenSeq(),
                    v.brokenEntryId(),
                    v.problem());
            details.put(v.project(), "entry " + v.brokenSeq() + ": " + v.problem());
        }
        health = Health.down()
                .withDetail("verifiedAt", started.toString())
                .withDetail("chains", verdicts.size())
                .withDetail("broken", details)
                .build();
        alerts.auditChainsBroken(broken);
        return broken;
    }

    @Override
    public Health health() {
        return health;
    }
}

package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.AuditUseCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes request/response text and audit payloads past each project's retention, on a schedule
 * ({@code aiops.audit.purge-interval}). Several instances may run it: the purge is idempotent and its record is
 * appended under the chain head lock.
 */
@Component
@ConditionalOnProperty(name = "aiops.audit.purge-enabled", havingValue = "true", matchIfMissing = true)
class RetentionPurgeJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurgeJob.class);

    private final AuditUseCase audit;

    RetentionPurgeJob(AuditUseCase audit) {
        this.audit = audit;
    }

    @Scheduled(
            fixedDelayString = "${aiops.audit.purge-interval:PT1H}",
            initialDelayString = "${aiops.audit.purge-interval:PT1H}")
    void purge() {
        int removed = audit.purgeExpired();
        if (removed > 0) {
            LOG.info("Retention purge removed {} audit payloads", removed);
        }
    }
}

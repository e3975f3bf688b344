package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.AuditUseCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes every project's audit chain head, signed with the anchor key, to the anchor stores every
 * {@code aiops.audit.anchor-interval} (default 1 h); on only when an anchor key is configured. Several instances may
 * run it: each publication is a set of true statements about the chain.
 */
@Component
@ConditionalOnExpression("!'${aiops.audit.anchor-key:}'.isBlank()")
class AnchorPublishJob {

    private static final Logger LOG = LoggerFactory.getLogger(AnchorPublishJob.class);

    private final AuditUseCase audit;

    AnchorPublishJob(AuditUseCase audit) {
        this.audit = audit;
    }

    @Scheduled(
            fixedDelayString = "${aiops.audit.anchor-interval:PT1H}",
            initialDelayString = "${aiops.audit.anchor-interval:PT1H}")
    void publish() {
        try {
            LOG.info(
                    "Published {} audit chain anchors",
                    audit.publishAnchors(ApiPrincipal.SYSTEM).size());
        } catch (RuntimeException e) {
            LOG.error("Audit anchors were not published: {}", e.getMessage());
        }
    }
}

package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Periodically releases reservations that never got an outcome. Safe on several instances: each locks the rows it
 * expires and skips rows another instance holds.
 */
@Component
@ConditionalOnProperty(name = "aiops.reservations.expiry-job-enabled", havingValue = "true", matchIfMissing = true)
class ReservationExpiryJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationExpiryJob.class);

    private final ExpireReservationsUseCase expireReservations;

    ReservationExpiryJob(ExpireReservationsUseCase expireReservations) {
        this.expireReservations = expireReservations;
    }

    @Scheduled(
            fixedDelayString = "${aiops.reservations.expiry-interval:PT1M}",
            initialDelayString = "${aiops.reservations.expiry-interval:PT1M}")
    void expire() {
        int expired = expireReservations.expireDue();
        if (expired > 0) {
            LOG.info("Released {} expired budget reservations", expired);
        }
    }
}

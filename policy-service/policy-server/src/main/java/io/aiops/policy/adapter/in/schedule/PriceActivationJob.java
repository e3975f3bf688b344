package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.CatalogUseCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes scheduled prices (a price that changes on a known day) current once their day has come, every
 * {@code aiops.catalog.activation-interval} (default 1 minute). Calls are priced by the version in force when they
 * were decided in any case; this moves the price decisions reserve with.
 */
@Component
class PriceActivationJob {

    private static final Logger LOG = LoggerFactory.getLogger(PriceActivationJob.class);

    private final CatalogUseCase catalog;

    PriceActivationJob(CatalogUseCase catalog) {
        this.catalog = catalog;
    }

    @Scheduled(
            fixedDelayString = "${aiops.catalog.activation-interval:PT1M}",
            initialDelayString = "${aiops.catalog.activation-interval:PT1M}")
    void activate() {
        int activated = catalog.activateScheduledPrices();
        if (activated > 0) {
            LOG.info("{} scheduled prices became current", activated);
        }
    }
}

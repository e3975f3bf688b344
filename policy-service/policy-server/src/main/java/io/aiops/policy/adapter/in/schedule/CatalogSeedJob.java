package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.adapter.in.prices.OpenPriceTable;
import io.aiops.policy.adapter.in.prices.ShippedSnapshot;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.application.port.in.CatalogUseCase;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * At startup, applies the shipped genai-prices snapshot to the catalog once per database ({@code catalog_seeds}):
 * a new database gets its prices from it; a database seeded before follows it where its prices came from a seed,
 * and keeps every price an operator set. Several instances starting together apply it once.
 */
@Component
@ConditionalOnProperty(name = "aiops.catalog.seed-snapshot", havingValue = "true", matchIfMissing = true)
class CatalogSeedJob implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogSeedJob.class);

    private final CatalogUseCase catalog;
    private final Clock clock;

    CatalogSeedJob(CatalogUseCase catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        ShippedSnapshot snapshot = ShippedSnapshot.load();
        OpenPriceTable.Parsed parsed = snapshot.prices(catalog.models(), LocalDate.now(clock));
        Optional<CatalogImportResult> result = catalog.seed(snapshot.source(), parsed.prices(), parsed.skipped());
        result.ifPresent(r -> LOG.info(
                "Price catalog seeded from {}: {} models added or changed, {} unchanged, {} not"
                        + " applied ({} price fields changed)",
                snapshot.source(),
                r.updated().size(),
                r.unchanged().size(),
                r.skipped().size(),
                r.changes().size()));
    }
}

package io.aiops.policy.adapter.in.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.adapter.in.prices.GenAiPricesData;
import io.aiops.policy.adapter.in.prices.OpenPriceTable;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.out.PriceSourceReader;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the catalog following a genai-prices {@code data.json} the operator names ({@code aiops.catalog.sync.source}:
 * a file or an http(s) URL; unset: off, the default), every {@code aiops.catalog.sync.interval} (default 24 h). The
 * content the catalog follows already changes nothing; other content is applied like the shipped snapshot: new
 * models added, models priced from a seed or an earlier sync follow it, prices an operator set are kept; audited as
 * one change set; PRICE_CHANGED alerts tell the projects that used a repriced model. A malformed or partial source
 * changes nothing and is logged with the path of its first bad entry.
 */
@Component
@ConditionalOnExpression("!'${aiops.catalog.sync.source:}'.isBlank()")
public class CatalogSyncJob {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogSyncJob.class);

    private final CatalogUseCase catalog;
    private final PriceSourceReader reader;
    private final Clock clock;
    private final String source;
    private final String providers;

    @Autowired
    public CatalogSyncJob(
            CatalogUseCase catalog,
            PriceSourceReader reader,
            Clock clock,
            @Value("${aiops.catalog.sync.source}") String source,
            @Value("${aiops.catalog.sync.providers:" + GenAiPricesData.DEFAULT_PROVIDERS + "}") String providers) {
        this.catalog = catalog;
        this.reader = reader;
        this.clock = clock;
        this.source = source;
        this.providers = providers;
        GenAiPricesData.providerMap(providers);
    }

    @Scheduled(
            fixedDelayString = "${aiops.catalog.sync.interval:PT24H}",
            initialDelayString = "${aiops.catalog.sync.initial-delay:PT1M}")
    void scheduled() {
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            LOG.error("Price sync from {} changed nothing: {}", source, e.getMessage());
        }
    }

    /**
     * Reads the source once and applies it if its content is new.
     *
     * @return what changed, empty when this content was applied before
     */
    public Optional<CatalogImportResult> sync() throws IOException {
        byte[] content = reader.read(source);
        JsonNode data = PolicyClient.JSON.readTree(content);
        String contentId = "genai-prices sync " + sha256(content).substring(0, 12);
        String from = " from " + source;
        Optional<String> inForce = catalog.lastSeed(from);
        if (inForce.isPresent() && inForce.get().startsWith(contentId)) {
            return Optional.empty(); // this content is what the catalog follows already
        }
        // content applied before and since replaced (A, B, A again) is applied again, under a label of its own
        String label = contentId + (inForce.isPresent() ? " (" + clock.instant() + ")" : "") + from;
        OpenPriceTable.Parsed parsed = GenAiPricesData.parse(
                data, label, GenAiPricesData.providerMap(providers), catalog.models(), false, LocalDate.now(clock));
        Optional<CatalogImportResult> result = catalog.seed(label, parsed.prices(), parsed.skipped());
        result.ifPresent(r -> LOG.info(
                "Price sync from {}: {} models added or changed ({} price fields), {} unchanged," + " {} not applied",
                source,
                r.updated().size(),
                r.changes().size(),
                r.unchanged().size(),
                r.skipped().size()));
        return result;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

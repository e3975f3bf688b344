package io.aiops.policy.catalog;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CATALOG_SEEDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A shipped price source is applied once per database, follows earlier seeds and never overwrites an operator. */
class CatalogSeedTest extends PolicyServerTest {

    @Autowired
    private CatalogUseCase catalog;

    private static ModelPrice price(String provider, String model, String input, String source) {
        return new ModelPrice(
                provider,
                model,
                new BigDecimal(input),
                new BigDecimal(input).multiply(BigDecimal.TEN),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                source,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void aSeedAddsModelsFollowsEarlierSeedsAndKeepsWhatAnOperatorSet() {
        String provider = unique("seeded");
        String first = unique("seed-a");
        String second = unique("seed-b");
        catalog.seed(first, List.of(price(provider, "follows", "0.000001", first)), List.of());
        admin.putModel(price(provider, "negotiated", "0.000002", "contract 2026-11"));

        Optional<CatalogImportResult> applied = catalog.seed(
                second,
                List.of(
                        price(provider, "follows", "0.000003", second),
                        price(provider, "negotiated", "0.000009", second),
                        price(provider, "new", "0.000004", second)),
                List.of("x/audio-only: no input or output price"));

        assertThat(applied).isPresent();
        assertThat(applied.get().updated()).containsExactlyInAnyOrder(provider + "/follows", provider + "/new");
        assertThat(applied.get().skipped())
                .containsExactly(
                        "x/audio-only: no input or output price",
                        provider + "/negotiated: kept the price an operator set (source: contract 2026-11)");
        assertThat(viewer.getModel(provider, "follows").inputPerToken()).isEqualByComparingTo("0.000003");
        assertThat(viewer.getModel(provider, "follows").version()).isEqualTo(2);
        assertThat(viewer.getModel(provider, "negotiated").inputPerToken()).isEqualByComparingTo("0.000002");
        assertThat(viewer.getModel(provider, "new").source()).isEqualTo(second);
        assertThat(db.fetchOne(CATALOG_SEEDS, CATALOG_SEEDS.SOURCE.eq(second)))
                .satisfies(r -> assertThat(List.of(r.getUpdated(), r.getUnchanged(), r.getKept()))
                        .containsExactly(2, 0, 1));
        // each seed is audited as one change set of the service's own, listing every changed price field
        assertThat(db.fetchCount(
                        AUDIT_ENTRIES,
                        AUDIT_ENTRIES.ACTOR_NAME.eq("system").and(AUDIT_ENTRIES.PAYLOAD.contains(provider + "/"))))
                .isEqualTo(2);
        assertThat(db.fetchValue(
                        AUDIT_ENTRIES.PAYLOAD,
                        AUDIT_ENTRIES
                                .PAYLOAD
                                .contains("catalog-change-set")
                                .and(AUDIT_ENTRIES.PAYLOAD.contains(second))))
                .contains("catalog-change-set", provider + "/negotiated: kept the price", "inputPerToken");

        // applied once: a restart (or another instance) finds the seed recorded and changes nothing
        assertThat(catalog.seed(second, List.of(price(provider, "new", "0.000005", second)), List.of()))
                .isEmpty();
        assertThat(viewer.getModel(provider, "new").inputPerToken()).isEqualByComparingTo("0.000004");
    }

    @Test
    void instancesStartingTogetherApplyASeedOnce() throws Exception {
        String provider = unique("raced");
        String source = unique("seed-race");
        Callable<Boolean> seed =
                () -> catalog.seed(source, List.of(price(provider, "m", "0.000001", source)), List.of())
                        .isPresent();

        List<Boolean> applied = race(List.of(seed, seed, seed));

        assertThat(applied).containsOnlyOnce(true);
        assertThat(viewer.priceVersions(provider, "m")).hasSize(1);
    }
}

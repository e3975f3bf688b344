package io.aiops.policy.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A price that changes on a known day: scheduled ahead, current from then, calls priced by the day they ran. */
class ScheduledPriceTest extends PolicyServerTest {

    @Autowired
    private CatalogUseCase catalog;

    private static ModelPrice price(String model, String input, Instant effectiveFrom) {
        return new ModelPrice(
                "acme",
                model,
                new BigDecimal(input),
                new BigDecimal("0.000002"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "price list",
                null,
                effectiveFrom,
                null,
                null,
                null,
                null);
    }

    private static DecisionRequest hinted(DecisionRequest r, String modelHint) {
        return new DecisionRequest(
                r.idempotencyKey(),
                r.project(),
                r.bpmnProcessId(),
                r.processDefinitionKey(),
                r.processInstanceKey(),
                r.elementId(),
                r.elementInstanceKey(),
                r.jobKey(),
                r.taskKind(),
                modelHint,
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
    }

    private BigDecimal costOfOneCall(String project, String model) {
        Decision decision = worker.decide(hinted(request(project, "classify", 1_000, 100), model));
        OutcomeReceipt receipt = worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 1_000L, 0L, 0L, 100L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        return receipt.costUsd();
    }

    @Test
    void aScheduledPriceBecomesCurrentOnItsDayAndPricesOnlyCallsFromThen() {
        String project = unique("scheduled");
        String model = unique("price-cut");
        routeProjectTo(project, model, "0.000001", "0.000002");
        // a day the provider announced; the shared test clock only moves forward, so it is a minute ahead here
        Instant nextMonth = CLOCK.instant().plus(Duration.ofMinutes(1));

        ModelPrice scheduled = admin.putModel(price(model, "0.0000005", nextMonth));

        assertThat(scheduled.version()).isEqualTo(2);
        assertThat(scheduled.effectiveFrom()).isEqualTo(nextMonth);
        assertThat(viewer.getModel("acme", model).inputPerToken()).isEqualByComparingTo("0.000001");
        assertThat(viewer.priceVersions("acme", model))
                .extracting(ModelPrice::effectiveFrom)
                .last()
                .isEqualTo(nextMonth);
        // 1000 x 1e-6 + 100 x 2e-6 before the day
        assertThat(costOfOneCall(project, model)).isEqualByComparingTo("0.0012");
        assertThat(catalog.activateScheduledPrices()).isZero();

        CLOCK.advance(Duration.ofMinutes(1));

        assertThat(catalog.activateScheduledPrices()).isGreaterThanOrEqualTo(1);
        assertThat(catalog.activateScheduledPrices()).isZero();
        ModelPrice current = viewer.getModel("acme", model);
        assertThat(current.inputPerToken()).isEqualByComparingTo("0.0000005");
        assertThat(current.version()).isEqualTo(2);
        // 1000 x 0.5e-6 + 100 x 2e-6 from the day on
        assertThat(costOfOneCall(project, model)).isEqualByComparingTo("0.0007");
    }

    @Test
    void aPastStartIsRefusedAndAReadBackPriceIsAChangeFromNow() {
        String model = unique("dated");
        ModelPrice first = admin.putModel(price(model, "0.000001", null));

        PolicyServiceException past = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putModel(price(model, "0.000003", CLOCK.instant().minus(Duration.ofDays(1)))));
        PolicyServiceException unknown = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putModel(
                        price(unique("unknown"), "0.000003", CLOCK.instant().plus(Duration.ofDays(1)))));
        ModelPrice edited = admin.putModel(price(model, "0.000002", first.effectiveFrom()));

        assertThat(past.status()).isEqualTo(400);
        assertThat(past.field()).isEqualTo("effectiveFrom");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.field()).isEqualTo("effectiveFrom");
        assertThat(edited.version()).isEqualTo(2);
        assertThat(edited.inputPerToken()).isEqualByComparingTo("0.000002");
        assertThat(edited.effectiveFrom()).isEqualTo(CLOCK.instant());
    }
}

package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.domain.ModelRouter.Refused;
import io.aiops.policy.domain.ModelRouter.RouteRequest;
import io.aiops.policy.domain.ModelRouter.Routed;
import io.aiops.policy.domain.RoutingRule.Target;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRouterTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-26");
    private static final List<ModelPrice> CATALOG = List.of(
            price("openai", "gpt-4o", "0.0000025", "0.00001", null),
            price("openai", "gpt-4o-mini", "0.00000015", "0.0000006", null),
            price("gemini", "gemini-2.0-flash", "0.0000001", "0.0000004", "2026-06-01"),
            price("anthropic", "claude-haiku-4-5", "0.000001", "0.000005", null));

    private final ModelRouter router = new ModelRouter(30_000);

    private static ModelPrice price(String provider, String model, String in, String out, String deprecation) {
        return new ModelPrice(
                provider,
                model,
                new BigDecimal(in),
                new BigDecimal(out),
                null,
                null,
                null,
                deprecation == null ? null : LocalDate.parse(deprecation));
    }

    private static RouteRequest ask(String project, String taskKind, String hint) {
        return new RouteRequest(project, taskKind, hint, 1000, 100, TODAY);
    }

    @Test
    void mostSpecificPolicyWins() {
        List<RoutingRule> policies = List.of(
                new RoutingRule("any", null, null, List.of(new Target("openai", "gpt-4o", null))),
                new RoutingRule("kind", null, "classify", List.of(new Target("anthropic", "claude-haiku-4-5", null))),
                new RoutingRule("project", "support", null, List.of(new Target("openai", "gpt-4o-mini", 5000L))),
                new RoutingRule("both", "support", "classify", List.of(new Target("openai", "gpt-4o", 9000L))));

        assertThat(((Routed) router.route(ask("support", "classify", null), policies, CATALOG)).policyId())
                .isEqualTo("both");
        assertThat(((Routed) router.route(ask("support", "extract", null), policies, CATALOG)).policyId())
                .isEqualTo("project");
        assertThat(((Routed) router.route(ask("sales", "classify", null), policies, CATALOG)).policyId())
                .isEqualTo("kind");
        assertThat(((Routed) router.route(ask("sales", "extract", null), policies, CATALOG)).policyId())
                .isEqualTo("any");
    }

    @Test
    void theMostSpecificPolicyBlockingRefusesTheCallEvenWithAHint() {
        List<RoutingRule> policies = List.of(
                new RoutingRule("any", null, null, List.of(new Target("openai", "gpt-4o", null))),
                RoutingRule.blocking("no-legal-drafts", "legal", "generate", "legal drafts are written by people"));

        assertThat(router.route(ask("legal", "generate", "gpt-4o-mini"), policies, CATALOG))
                .isEqualTo(new Refused(
                        DenialReason.POLICY_DENIED,
                        "routing policy 'no-legal-drafts' blocks AI calls here: legal drafts are written by people"));
        assertThat(((Routed) router.route(ask("legal", "summarise", null), policies, CATALOG)).policyId())
                .isEqualTo("any");
    }

    @Test
    void withoutPolicyTheCheapestCurrentModelIsChosen() {
        Routed routed = (Routed) router.route(ask("p", "k", null), List.of(), CATALOG);

        assertThat(routed.candidates()).containsExactly(new Candidate("openai", "gpt-4o-mini", 100, 30_000));
        assertThat(routed.reservationAmount()).isEqualByComparingTo("0.00021");
    }

    @Test
    void hintIsMovedToTheFrontKeepingItsTimeout() {
        List<RoutingRule> policies = List.of(new RoutingRule(
                "r",
                null,
                null,
                List.of(new Target("openai", "gpt-4o-mini", null), new Target("openai", "gpt-4o", 7000L))));

        Routed routed = (Routed) router.route(ask("p", "k", "gpt-4o"), policies, CATALOG);

        assertThat(routed.candidates())
                .containsExactly(
                        new Candidate("openai", "gpt-4o", 100, 7000),
                        new Candidate("openai", "gpt-4o-mini", 100, 30_000));
        // the dearer candidate sets the reservation: 1000 * 0.0000025 + 100 * 0.00001
        assertThat(routed.reservationAmount()).isEqualByComparingTo("0.0035");
    }

    @Test
    void retiredHintIsIgnoredAndOnlyRetiredCandidatesAreRefused() {
        Routed routed = (Routed) router.route(ask("p", "k", "gemini/gemini-2.0-flash"), List.of(), CATALOG);
        assertThat(routed.candidates()).extracting(Candidate::model).containsExactly("gpt-4o-mini");

        List<RoutingRule> retiredOnly =
                List.of(new RoutingRule("r", null, null, List.of(new Target("gemini", "gemini-2.0-flash", null))));
        assertThat(router.route(ask("p", "k", null), retiredOnly, CATALOG))
                .isInstanceOfSatisfying(
                        Refused.class, r -> assertThat(r.reason()).isEqualTo(DenialReason.MODEL_RETIRED));
    }
}

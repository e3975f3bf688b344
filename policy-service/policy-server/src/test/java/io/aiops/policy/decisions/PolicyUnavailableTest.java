package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.policy.api.UnapprovedCall;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A project's {@code onPolicyUnavailable} setting, what decisions tell workers about it, and the calls workers made
 * without a decision while the service was away, recorded afterwards: flagged unapproved in the ledger and the audit
 * trail, counted in the budgets (above a HARD cap: the money is spent), once however often they are posted.
 */
class PolicyUnavailableTest extends PolicyServerTest {

    @Test
    void theSettingDefaultsToRetryAndFailOpenDecisionsNameTheFirstModelAndItsDearestPrices() throws Exception {
        String project = unique("fail-open");
        String model = unique("model");
        routeProjectTo(project, model, "0.000001", "0.000002");
        assertThat(viewer.policyUnavailable(project).onPolicyUnavailable()).isEqualTo(OnPolicyUnavailable.RETRY);
        assertThat(worker.decide(request(project, "classify", 100, 50)).failOpen())
                .isNull();

        PolicyServiceException viewerPut = catchThrowableOfType(
                PolicyServiceException.class,
                () -> viewer.putPolicyUnavailable(
                        project, new PolicyUnavailableSettings(OnPolicyUnavailable.FAIL_OPEN_CAPPED)));
        assertThat(viewerPut.status()).isEqualTo(403);

        admin.putPolicyUnavailable(project, new PolicyUnavailableSettings(OnPolicyUnavailable.FAIL_OPEN_CAPPED));
        assertThat(viewer.policyUnavailable(project).onPolicyUnavailable())
                .isEqualTo(OnPolicyUnavailable.FAIL_OPEN_CAPPED);
        Decision.FailOpen terms =
                worker.decide(request(project, "classify", 100, 50)).failOpen();
        assertThat(terms).isNotNull();
        assertThat(terms.candidate().provider()).isEqualTo("acme");
        assertThat(terms.candidate().model()).isEqualTo(model);
        assertThat(terms.inputUsdPerToken()).isEqualByComparingTo("0.000001");
        assertThat(terms.outputUsdPerToken()).isEqualByComparingTo("0.000002");

        // a denial carries no terms: a worker never fails open on a call the service just refused
        budget(project, "0.00001", BudgetMode.HARD);
        Decision denied = worker.decide(request(project, "classify", 1000, 500));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.failOpen()).isNull();

        HttpResponse<String> misspelt = sendAsAdmin(
                "PUT",
                "/api/v1/projects/" + project + "/policy-unavailable",
                "{\"onPolicyUnavailable\":\"SOMETIMES\"}");
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(misspelt.body()).contains("onPolicyUnavailable");
        HttpResponse<String> unknown = sendAsAdmin(
                "PUT",
                "/api/v1/projects/" + project + "/policy-unavailable",
                "{\"onPolicyUnavailable\":\"RETRY\",\"failOpen\":true}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("failOpen");

        var change = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("POLICY_CHANGE")))
                .and(AUDIT_ENTRIES.PAYLOAD.contains("policy-unavailable"))
                .fetchSingle();
        JsonNode payload = PolicyClient.JSON.readTree(change.getPayload());
        assertThat(payload.path("before").isNull()).isTrue();
        assertThat(payload.path("after").path("onPolicyUnavailable").asText()).isEqualTo("FAIL_OPEN_CAPPED");
    }

    @Test
    void anUnapprovedCallIsRecordedFlaggedAndCountedOverAHardCapOnceHoweverOftenPosted() throws Exception {
        String project = unique("unapproved");
        String model = unique("model");
        routeProjectTo(project, model, "0.000001", "0.000002");
        String budgetId = budget(project, "0.0015", BudgetMode.HARD);
        UnapprovedCall call =
                unapproved(project, model, 1000, 500, CLOCK.instant().minus(Duration.ofMinutes(1)));

        OutcomeReceipt receipt = worker.recordUnapprovedCall(call);

        // 1000 x 0.000001 + 500 x 0.000002, above the 0.0015 HARD cap: spent all the same
        assertThat(receipt.costUsd()).isEqualByComparingTo("0.002");
        assertThat(receipt.status()).isEqualTo(CallStatus.SUCCEEDED);
        List<CallRecord> calls = viewer.callsOfProcessInstance(call.request().processInstanceKey());
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.unapproved()).isTrue();
            assertThat(c.decisionId()).isEqualTo(call.decisionId());
            assertThat(c.costUsd()).isEqualByComparingTo("0.002");
            assertThat(c.model()).isEqualTo(model);
        });
        assertThat(admin.getBudget(budgetId).spentUsd()).isEqualByComparingTo("0.002");
        assertThat(viewer.reconcileBudget(budgetId).consistent()).isTrue();

        // posted again (the worker never heard the first answer): the same receipt, nothing counted twice
        OutcomeReceipt again = worker.recordUnapprovedCall(call);
        assertThat(again.callId()).isEqualTo(receipt.callId());
        assertThat(viewer.callsOfProcessInstance(call.request().processInstanceKey()))
                .hasSize(1);
        assertThat(admin.getBudget(budgetId).spentUsd()).isEqualByComparingTo("0.002");

        var entry = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.DECISION_ID.eq(call.decisionId()))
                .fetchSingle();
        JsonNode payload = PolicyClient.JSON.readTree(entry.getPayload());
        assertThat(payload.path("unapproved").asBoolean()).isTrue();
        assertThat(payload.path("decidedBy").asText()).isEqualTo("worker-7");
        assertThat(payload.path("unapprovedReason").asText())
                .isEqualTo("policy service unreachable: connection refused");
        assertThat(payload.path("decidedAt").asText())
                .isEqualTo(call.decidedAt().toString());
        assertThat(admin.verifyAudit(project).intact()).isTrue();

        // the cap protects from here on: the overspend is visible to the next decision
        Decision next = worker.decide(request(project, "classify", 10, 10));
        assertThat(next.allowed()).isFalse();
        assertThat(next.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
    }

    @Test
    void unapprovedCallsThatAreNotTheWorkersToRecordAreRefusedAndNothingIsWritten() {
        String project = unique("unapproved-refused");
        String model = unique("model");
        routeProjectTo(project, model, "0.000001", "0.000002");

        PolicyClient otherProjectsWorker = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("other-worker", ApiRole.WORKER, List.of(unique("other"))))
                        .key());
        UnapprovedCall foreign = unapproved(project, model, 10, 10, CLOCK.instant());
        assertThat(refusal(() -> otherProjectsWorker.recordUnapprovedCall(foreign))
                        .status())
                .isEqualTo(403);
        assertThat(refusal(() -> viewer.recordUnapprovedCall(foreign)).status()).isEqualTo(403);

        Decision approved = worker.decide(request(project, "classify", 10, 10));
        UnapprovedCall stolenId =
                withDecisionId(unapproved(project, model, 10, 10, CLOCK.instant()), approved.decisionId());
        PolicyServiceException conflict = refusal(() -> worker.recordUnapprovedCall(stolenId));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.getMessage()).contains("belongs to a decision this service made");

        UnapprovedCall future =
                unapproved(project, model, 10, 10, CLOCK.instant().plus(Duration.ofHours(1)));
        PolicyServiceException ahead = refusal(() -> worker.recordUnapprovedCall(future));
        assertThat(ahead.status()).isEqualTo(400);
        assertThat(ahead.field()).isEqualTo("decidedAt");

        UnapprovedCall unknownModel = unapproved(project, unique("not-in-catalog"), 10, 10, CLOCK.instant());
        assertThat(refusal(() -> worker.recordUnapprovedCall(unknownModel)).status())
                .isBetween(400, 499);

        UnapprovedCall noOutcome =
                new UnapprovedCall(UUID.randomUUID(), foreign.request(), CLOCK.instant(), null, null, null);
        PolicyServiceException missing = refusal(() -> worker.recordUnapprovedCall(noOutcome));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errors())
                .extracting(PolicyServiceException.FieldError::field)
                .contains("outcome");

        for (UUID id :
                List.of(foreign.decisionId(), future.decisionId(), unknownModel.decisionId(), noOutcome.decisionId())) {
            assertThat(db.fetchCount(DECISIONS, DECISIONS.ID.eq(id)))
                    .as("decision %s", id)
                    .isZero();
        }
    }

    private static PolicyServiceException refusal(Runnable call) {
        return catchThrowableOfType(PolicyServiceException.class, call::run);
    }

    private static UnapprovedCall unapproved(
            String project, String model, long inputTokens, long outputTokens, java.time.Instant decidedAt) {
        return new UnapprovedCall(
                UUID.randomUUID(),
                request(project, "classify", (int) inputTokens, (int) outputTokens),
                decidedAt,
                "worker-7",
                "policy service unreachable: connection refused",
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme",
                                model,
                                inputTokens,
                                0L,
                                0L,
                                outputTokens,
                                0L,
                                120L,
                                CallStatus.SUCCEEDED,
                                null)),
                        Map.of("json_valid", BigDecimal.ONE),
                        "prompt",
                        "answer"));
    }

    private static UnapprovedCall withDecisionId(UnapprovedCall call, UUID decisionId) {
        return new UnapprovedCall(
                decisionId, call.request(), call.decidedAt(), call.worker(), call.reason(), call.outcome());
    }
}

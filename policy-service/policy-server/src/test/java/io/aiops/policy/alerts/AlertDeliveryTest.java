package io.aiops.policy.alerts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.api.CallStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aiops.policy.adapter.out.alerting.MeteredAlertChannel;
import io.aiops.policy.adapter.out.alerting.WebhookAlertChannel;
import io.aiops.policy.adapter.out.alerting.ZeebeMessageAlertChannel;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.AlertSignature;
import io.aiops.policy.api.AlertSigningKey;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.FiredAlert.Delivery;
import io.aiops.policy.api.FiredAlert.DeliveryState;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.service.AlertDeliveryService;
import io.aiops.policy.application.service.AlertDeliverySettings;
import io.aiops.policy.application.service.AlertSigningKeys;
import io.aiops.policy.application.service.AuditRecorder;
import io.aiops.policy.domain.OutboundPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Fired alerts reach their webhook (Slack-compatible body) and Zeebe: retried with exponential backoff after a
 * failure, given up after the last attempt, posted once after a success, and never by two deliverers at once. The
 * deliverer is driven with the test clock: no waiting.
 */
class AlertDeliveryTest extends AlertTestSupport {

    private static final int MAX_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    private static WireMockServer receiver;

    @Autowired
    EvaluateAlertsUseCase evaluator;

    @Autowired
    MeterRegistry meters;

    private double deliveries(FiredAlert alert, String result) {
        return meters.counter(
                        "aiops.alerts.deliveries",
                        "channel",
                        "WEBHOOK",
                        "kind",
                        alert.kind().name(),
                        "result",
                        result)
                .count();
    }

    @Autowired
    AlertStore alertStore;

    @Autowired
    ObjectMapper json;

    @Autowired
    AlertSigningKeys signingKeys;

    @Autowired
    ProjectSettingsStore settingsStore;

    @Autowired
    AuditRecorder auditRecorder;

    private AlertDeliveryService deliverer;
    private String project;
    private String model;
    private String hookPath;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void projectWithSpendAndDeliverer() {
        project = unique("deliver");
        model = model("delivered-" + project);
        routeProjectTo(project, model, "0.001", "0.000001");
        hookPath = "/hooks/" + project;
        deliverer = deliverer();
    }

    /** A deliverer as the server builds one, with both channels pointing at the test's receiver. */
    private AlertDeliveryService deliverer() {
        URI cluster = URI.create(receiver.baseUrl());
        return new AlertDeliveryService(
                alertStore,
                MeteredAlertChannel.all(
                        List.of(
                                new WebhookAlertChannel(
                                        json,
                                        Duration.ofSeconds(5),
                                        CLOCK,
                                        signingKeys::signature,
                                        new OutboundPolicy(
                                                true, List.of("localhost", "127.0.0.0/8"), InetAddress::getAllByName)),
                                new ZeebeMessageAlertChannel(
                                        json,
                                        Duration.ofSeconds(5),
                                        cluster,
                                        Duration.ofMinutes(10),
                                        null,
                                        "Bearer cluster-token")),
                        meters),
                new AlertDeliverySettings(
                        MAX_ATTEMPTS, FIRST_BACKOFF, Duration.ofHours(1), Duration.ofSeconds(35), 1000),
                CLOCK);
    }

    /** Spends $0.20 and fires one DAILY_SPEND_ABOVE alert of a rule delivering to the webhook (and Zeebe, if named). */
    private FiredAlert fireOneAlert(String zeebeMessageName) {
        AlertRule rule = admin.putAlertRule(rule(
                project,
                AlertKind.DAILY_SPEND_ABOVE,
                "thresholdUsd",
                "0.10",
                "webhookUrl",
                receiver.baseUrl() + hookPath,
                "zeebeMessageName",
                zeebeMessageName));
        call(project, model, 200, SUCCEEDED);
        aMinuteLater();
        evaluator.evaluateScheduledRules();
        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        return fired.getFirst();
    }

    private FiredAlert reread(FiredAlert alert) {
        return alertsOf(alert.ruleId()).stream()
                .filter(a -> a.id().equals(alert.id()))
                .findFirst()
                .orElseThrow();
    }

    private Delivery webhook(FiredAlert alert) {
        return reread(alert).deliveries().stream()
                .filter(d -> d.channel().equals("WEBHOOK"))
                .findFirst()
                .orElseThrow();
    }

    /** Ids of the alerts of the last week in a delivery state, as an operator filters them. */
    private List<java.util.UUID> listed(DeliveryState state) {
        return admin.alerts(null, CLOCK.instant().plusSeconds(1).toString(), state).stream()
                .map(FiredAlert::id)
                .toList();
    }

    private int postsToHook() {
        return receiver.findAll(postRequestedFor(urlPathEqualTo(hookPath))).size();
    }

    @Test
    void aWebhookAnswering500IsRetriedAfterBackoffAndThenDeliveredOnce() {
        receiver.stubFor(post(urlPathEqualTo(hookPath))
                .inScenario(hookPath)
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("upstream broke"))
                .willSetStateTo("recovered"));
        receiver.stubFor(post(urlPathEqualTo(hookPath))
                .inScenario(hookPath)
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        FiredAlert alert = fireOneAlert(null);
        double failedBefore = deliveries(alert, "failed");
        double deliveredBefore = deliveries(alert, "delivered");
        assertThat(alert.deliveryState()).isEqualTo(DeliveryState.PENDING);
        assertThat(listed(DeliveryState.PENDING)).contains(alert.id());
        assertThat(listed(DeliveryState.DELIVERED)).doesNotContain(alert.id());

        Instant firstAttempt = CLOCK.instant();
        deliverer.deliverDue();
        Delivery afterFailure = webhook(alert);
        assertThat(afterFailure.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(afterFailure.attempts()).isEqualTo(1);
        // the status only: a receiver's answer is never stored or shown to the alert's readers
        assertThat(afterFailure.lastError()).isEqualTo("HTTP 500");
        assertThat(afterFailure.nextAttemptAt()).isEqualTo(firstAttempt.plus(FIRST_BACKOFF));

        // not due yet: nothing is posted
        CLOCK.advance(FIRST_BACKOFF.minusSeconds(1));
        deliverer.deliverDue();
        assertThat(postsToHook()).isEqualTo(1);

        CLOCK.advance(Duration.ofSeconds(1));
        deliverer.deliverDue();
        Delivery delivered = webhook(alert);
        assertThat(delivered.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(2);
        assertThat(delivered.deliveredAt()).isEqualTo(CLOCK.instant());
        assertThat(reread(alert).deliveryState()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(listed(DeliveryState.DELIVERED)).contains(alert.id());
        assertThat(listed(DeliveryState.PENDING)).doesNotContain(alert.id());
        assertThat(listed(DeliveryState.NONE)).doesNotContain(alert.id());
        // the metrics count the failed post and the delivered one
        assertThat(deliveries(alert, "failed") - failedBefore).isEqualTo(1.0);
        assertThat(deliveries(alert, "delivered") - deliveredBefore).isEqualTo(1.0);

        // delivered is final: later rounds post nothing more
        CLOCK.advance(Duration.ofHours(2));
        deliverer.deliverDue();
        assertThat(postsToHook()).isEqualTo(2);
        receiver.verify(postRequestedFor(urlPathEqualTo(hookPath))
                .withHeader(
                        WebhookAlertChannel.ALERT_ID_HEADER, equalTo(alert.id().toString()))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.text", equalTo("[DAILY_SPEND_ABOVE] " + alert.message())))
                .withRequestBody(matchingJsonPath("$.blocks[1].text.text", equalTo(alert.message())))
                .withRequestBody(
                        matchingJsonPath("$.aiops.alertId", equalTo(alert.id().toString())))
                .withRequestBody(matchingJsonPath("$.aiops.kind", equalTo("DAILY_SPEND_ABOVE")))
                .withRequestBody(matchingJsonPath("$.aiops.project", equalTo(project)))
                .withRequestBody(matchingJsonPath("$.aiops.details.spentUsd", equalTo("0.2"))));
    }

    @Test
    void aWebhookPostIsSignedOverItsExactBodyWithTheKeyOfItsProject() throws Exception {
        receiver.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(200)));
        fireOneAlert(null);
        long sentAt = CLOCK.instant().getEpochSecond();
        deliverer.deliverDue();

        LoggedRequest posted =
                receiver.findAll(postRequestedFor(urlPathEqualTo(hookPath))).getFirst();
        String header = posted.getHeader(AlertSignature.HEADER);
        AlertSigningKey key = admin.alertSigningKey(project);
        assertThat(key.project()).isEqualTo(project);
        assertThat(key.algorithm()).isEqualTo("HMAC-SHA256");
        assertThat(key.header()).isEqualTo(AlertSignature.HEADER);
        // computed here from the documented recipe: HMAC-SHA256 under the key of "<t>.<body as received>"
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(key.key()), "HmacSHA256"));
        mac.update((sentAt + ".").getBytes(StandardCharsets.US_ASCII));
        assertThat(header).isEqualTo("t=" + sentAt + ",v1=" + HexFormat.of().formatHex(mac.doFinal(posted.getBody())));
        assertThat(AlertSignature.verify(key.key(), header, posted.getBody(), CLOCK.instant(), Duration.ofMinutes(5)))
                .isTrue();

        // the key of another project, or of organisation-wide alerts, does not verify this project's alerts
        AlertSigningKey otherProject = admin.alertSigningKey(unique("elsewhere"));
        AlertSigningKey organisation = admin.alertSigningKey(null);
        assertThat(organisation.project()).isNull();
        for (AlertSigningKey other : List.of(otherProject, organisation)) {
            assertThat(other.key()).isNotEqualTo(key.key());
            assertThat(AlertSignature.verify(
                            other.key(), header, posted.getBody(), CLOCK.instant(), Duration.ofMinutes(5)))
                    .isFalse();
        }
        // the same key on every read, and a replay an hour later is refused by the time check
        assertThat(admin.alertSigningKey(project).key()).isEqualTo(key.key());
        assertThat(AlertSignature.verify(
                        key.key(),
                        header,
                        posted.getBody(),
                        CLOCK.instant().plus(Duration.ofHours(1)),
                        Duration.ofMinutes(5)))
                .isFalse();
    }

    @Test
    void aRotatedKeySignsAlongsideThePreviousOneUntilTheOverlapEnds() throws Exception {
        fireOneAlert(null);
        AlertSigningKey before = admin.alertSigningKey(project);

        AlertSigningKey rotated = admin.rotateAlertSigningKey(project);

        assertThat(rotated.generation()).isEqualTo(before.generation() + 1);
        assertThat(rotated.key()).isNotEqualTo(before.key());
        assertThat(rotated.previousKey()).isEqualTo(before.key());
        assertThat(rotated.previousValidUntil()).isEqualTo(CLOCK.instant().plus(Duration.ofHours(24)));
        assertThat(admin.alertSigningKey(project).key()).isEqualTo(rotated.key());
        // during the overlap a post verifies under the new key and under the old one
        deliverer.deliverDue();
        LoggedRequest posted =
                receiver.findAll(postRequestedFor(urlPathEqualTo(hookPath))).getFirst();
        String header = posted.getHeader(AlertSignature.HEADER);
        assertThat(header.split(",v1=")).hasSize(3);
        for (String key : List.of(rotated.key(), before.key())) {
            assertThat(AlertSignature.verify(key, header, posted.getBody(), CLOCK.instant(), Duration.ofMinutes(5)))
                    .isTrue();
        }
        // once the overlap is over (here a one-minute overlap, two minutes on), the old key verifies nothing
        AlertSigningKeys shortOverlap =
                new AlertSigningKeys(settingsStore, CLOCK, "", auditRecorder, Duration.ofMinutes(1));
        aMinuteLater();
        aMinuteLater();
        long now = CLOCK.instant().getEpochSecond();
        String later = shortOverlap.signature(project, now, posted.getBody());
        assertThat(later.split(",v1=")).hasSize(2);
        assertThat(AlertSignature.verify(
                        rotated.key(), later, posted.getBody(), CLOCK.instant(), Duration.ofMinutes(5)))
                .isTrue();
        assertThat(AlertSignature.verify(before.key(), later, posted.getBody(), CLOCK.instant(), Duration.ofMinutes(5)))
                .isFalse();

        // audited as a change of generation, without key material; only the project's admins may rotate
        var change = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("POLICY_CHANGE")))
                .and(AUDIT_ENTRIES.PAYLOAD.contains("alert-signing-key"))
                .fetchSingle();
        assertThat(change.getPayload()).contains("\"generation\":1").doesNotContain(rotated.key(), before.key());
        PolicyClient otherAdmin = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("other-admin", ApiRole.ADMIN, List.of(unique("other"))))
                        .key());
        assertThat(refusal(() -> otherAdmin.rotateAlertSigningKey(project))).isEqualTo(403);
        assertThat(refusal(() -> viewer.rotateAlertSigningKey(project))).isEqualTo(403);
        assertThat(admin.alertSigningKey(project).generation()).isEqualTo(1);
    }

    @Test
    void onlyAdminsOfTheProjectMayReadItsSigningKey() throws Exception {
        PolicyClient projectAdmin = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("hook-admin", ApiRole.ADMIN, List.of(project)))
                        .key());
        PolicyClient otherAdmin = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("other-admin", ApiRole.ADMIN, List.of(unique("other"))))
                        .key());

        assertThat(projectAdmin.alertSigningKey(project).key())
                .isEqualTo(admin.alertSigningKey(project).key());
        // a secret: no cache on the way may keep the answer
        assertThat(sendAsAdmin("GET", "/api/v1/alerts/signing-key?project=" + project, null)
                        .headers()
                        .firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(refusal(() -> otherAdmin.alertSigningKey(project))).isEqualTo(403);
        // organisation-wide alerts' key: only for a key without a project limit
        assertThat(refusal(() -> projectAdmin.alertSigningKey(null))).isEqualTo(403);
        // whoever holds a key can sign alerts the receivers trust: no viewer or worker gets one
        assertThat(refusal(() -> viewer.alertSigningKey(project))).isEqualTo(403);
        assertThat(refusal(() -> worker.alertSigningKey(project))).isEqualTo(403);
        // every read that handed out the key is in the project's audit chain, by whom; refused reads write nothing
        var reads = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("SECRET_READ")))
                .orderBy(AUDIT_ENTRIES.SEQ)
                .fetch();
        assertThat(reads)
                .extracting(r -> r.getActorName())
                .containsExactly("hook-admin", "bootstrap-admin", "bootstrap-admin");
        assertThat(reads.getFirst().getPayload())
                .contains("\"subject\":\"alert-signing-key\"")
                .doesNotContain(admin.alertSigningKey(project).key());
        assertThat(admin.verifyAudit(project).intact()).isTrue();
    }

    private static int refusal(Callable<?> call) {
        PolicyServiceException refused = catchThrowableOfType(PolicyServiceException.class, call::call);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.type()).isEqualTo("https://aiops.io/problems/forbidden");
        return refused.status();
    }

    @Test
    void aWebhookThatNeverAnswersWellIsGivenUpAfterTheLastAttempt() {
        receiver.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(503)));
        FiredAlert alert = fireOneAlert(null);

        deliverer.deliverDue();
        Instant second = webhook(alert).nextAttemptAt();
        CLOCK.advance(Duration.between(CLOCK.instant(), second));
        deliverer.deliverDue();
        Delivery afterTwo = webhook(alert);
        // the wait doubles: 30 s after the first failure, 60 s after the second
        assertThat(Duration.between(CLOCK.instant(), afterTwo.nextAttemptAt()))
                .isEqualTo(FIRST_BACKOFF.multipliedBy(2));
        CLOCK.advance(Duration.between(CLOCK.instant(), afterTwo.nextAttemptAt()));
        deliverer.deliverDue();

        Delivery failed = webhook(alert);
        assertThat(failed.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(failed.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.lastError()).isEqualTo("HTTP 503");
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(listed(DeliveryState.FAILED)).contains(alert.id());
        assertThat(listed(DeliveryState.PENDING)).doesNotContain(alert.id());

        CLOCK.advance(Duration.ofHours(3));
        deliverer.deliverDue();
        assertThat(postsToHook()).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void anAlertNamingAZeebeMessageIsPublishedToTheCluster() {
        receiver.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(204)));
        receiver.stubFor(post(urlPathEqualTo("/v2/messages/publication"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"key\":\"2251799813685300\",\"tenantId\":\"<default>\"}")));
        FiredAlert alert = fireOneAlert("ai-spend-incident");
        assertThat(alert.deliveries()).extracting(Delivery::channel).containsExactly("WEBHOOK", "ZEEBE");

        deliverer.deliverDue();

        FiredAlert after = reread(alert);
        assertThat(after.deliveryState()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(after.deliveries()).allSatisfy(d -> assertThat(d.state()).isEqualTo(DeliveryState.DELIVERED));
        receiver.verify(
                1,
                postRequestedFor(urlPathEqualTo("/v2/messages/publication"))
                        .withHeader("Authorization", equalTo("Bearer cluster-token"))
                        .withRequestBody(matchingJsonPath("$.name", equalTo("ai-spend-incident")))
                        .withRequestBody(matchingJsonPath(
                                "$.messageId", equalTo(alert.id().toString())))
                        // the project: a running instance of that project can catch it (=project)
                        .withRequestBody(matchingJsonPath("$.correlationKey", equalTo(project)))
                        .withRequestBody(matchingJsonPath("$.timeToLive", equalTo("600000")))
                        .withRequestBody(matchingJsonPath("$.variables.aiopsAlert.kind", equalTo("DAILY_SPEND_ABOVE")))
                        .withRequestBody(matchingJsonPath("$.variables.aiopsAlert.project", equalTo(project))));
    }

    @Test
    void aDeliveryClaimedByADelivererThatDiedIsPostedWhenItsLeaseRunsOut() {
        receiver.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(200)));
        FiredAlert alert = fireOneAlert(null);
        // a replica claims the delivery and dies before posting or recording anything
        Duration lease = Duration.ofSeconds(35);
        assertThat(alertStore.claimDue(CLOCK.instant(), CLOCK.instant().plus(lease), 1000))
                .extracting(d -> d.alert().id())
                .contains(alert.id());

        deliverer.deliverDue();
        assertThat(postsToHook()).isZero();

        CLOCK.advance(lease);
        deliverer.deliverDue();
        assertThat(postsToHook()).isEqualTo(1);
        assertThat(webhook(alert).state()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void twoDeliverersRacingPostEachAlertOnce() throws Exception {
        receiver.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(200)));
        FiredAlert alert = fireOneAlert(null);
        AlertDeliveryService other = deliverer();

        List<Callable<Integer>> rounds =
                List.of(deliverer::deliverDue, other::deliverDue, deliverer::deliverDue, other::deliverDue);
        race(rounds);

        assertThat(postsToHook()).isEqualTo(1);
        assertThat(webhook(alert).state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(webhook(alert).attempts()).isEqualTo(1);
    }
}

package io.aiops.policy.adapter.out.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.AlertSignature;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.out.AlertChannel;
import io.aiops.policy.application.service.AlertChannels;
import io.aiops.policy.domain.OutboundPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts an alert to a webhook in a body Slack's incoming webhooks render ({@code text} plus {@code blocks}), with the
 * alert's fields under {@code aiops} for receivers that are not Slack. Each post carries {@code X-Aiops-Alert-Id}: a
 * delivery is at least once, so a receiver that must not act twice keys on it; and {@code X-Aiops-Signature}
 * ({@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} under the project's alert-signing key), so a receiver
 * can refuse forged posts and, by the time, replayed ones.
 */
public class WebhookAlertChannel implements AlertChannel {

    public static final String ALERT_ID_HEADER = "X-Aiops-Alert-Id";

    /** The signature header's value for a body posted at a time for an alert of a project (null: organisation). */
    @FunctionalInterface
    public interface Signer {
        String sign(String project, long epochSecond, byte[] body);
    }

    private final JsonPost post;
    private final Clock clock;
    private final Signer signer;

    /** @param outbound where webhooks may be sent: every post is checked and pinned to the checked addresses */
    public WebhookAlertChannel(
            ObjectMapper json, Duration timeout, Clock clock, Signer signer, OutboundPolicy outbound) {
        this.post = new JsonPost(json, timeout, outbound);
        this.clock = clock;
        this.signer = signer;
    }

    @Override
    public String name() {
        return AlertChannels.WEBHOOK;
    }

    @Override
    public void deliver(FiredAlert alert, String target) {
        byte[] body = post.bytes(body(alert));
        String signature = signer.sign(alert.project(), clock.instant().getEpochSecond(), body);
        post.post(
                URI.create(target),
                body,
                Map.of(ALERT_ID_HEADER, alert.id().toString(), AlertSignature.HEADER, signature));
    }

    /** The Slack-compatible body; also the variables of the Zeebe message, so both channels carry the same fields. */
    static Map<String, Object> body(FiredAlert alert) {
        String scope = alert.project() == null ? "organisation" : "project " + alert.project();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "[" + alert.kind() + "] " + alert.message());
        body.put(
                "blocks",
                List.of(
                        Map.of(
                                "type",
                                "header",
                                "text",
                                Map.of("type", "plain_text", "text", "AI Ops alert: " + alert.kind())),
                        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", alert.message())),
                        Map.of(
                                "type",
                                "context",
                                "elements",
                                List.of(Map.of(
                                        "type",
                                        "mrkdwn",
                                        "text",
                                        "rule `" + alert.ruleId() + "` · " + scope + " · " + alert.subject() + " · "
                                                + alert.firedAt())))));
        body.put("aiops", fields(alert));
        return body;
    }

    static Map<String, Object> fields(FiredAlert alert) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("alertId", alert.id().toString());
        fields.put("ruleId", alert.ruleId());
        fields.put("kind", alert.kind().name());
        fields.put("project", alert.project());
        fields.put("subject", alert.subject());
        fields.put("period", alert.period());
        fields.put("message", alert.message());
        fields.put("firedAt", alert.firedAt().toString());
        fields.put("details", alert.details());
        return fields;
    }
}

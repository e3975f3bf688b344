package io.aiops.policy.adapter.out.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.out.AlertChannel;
import io.aiops.policy.application.service.AlertChannels;
import io.aiops.policy.domain.OutboundPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes an alert as a Zeebe message through the orchestration cluster's REST API
 * ({@code POST /v2/messages/publication}), so a message start event can open an incident-handling process. Plain
 * HTTP, no Camunda client: the policy server stays free of it. The alert id is the message id, so the broker drops a
 * redelivered alert within the message's time to live. The correlation key is the alert's project (an
 * organisation-wide alert's subject): a running instance of that project can catch the alert with a message event
 * correlated on {@code =project}, which an id made by the server could never be.
 */
public class ZeebeMessageAlertChannel implements AlertChannel {

    private final JsonPost post;
    private final URI publication;
    private final Duration timeToLive;
    private final String tenantId;
    private final Map<String, String> headers;

    /** @param authorization the Authorization header value (e.g. {@code Bearer …}, {@code Basic …}), or blank for none */
    public ZeebeMessageAlertChannel(
            ObjectMapper json,
            Duration timeout,
            URI restAddress,
            Duration timeToLive,
            String tenantId,
            String authorization) {
        // the operator configured this address: internal addresses are expected, plain http too
        this.post = new JsonPost(
                json, timeout, new OutboundPolicy(true, List.of(restAddress.getHost()), InetAddress::getAllByName));
        String base = restAddress.toString().replaceAll("/+$", "");
        this.publication = URI.create(base + "/v2/messages/publication");
        this.timeToLive = timeToLive;
        this.tenantId = tenantId == null || tenantId.isBlank() ? null : tenantId;
        this.headers =
                authorization == null || authorization.isBlank() ? Map.of() : Map.of("Authorization", authorization);
    }

    @Override
    public String name() {
        return AlertChannels.ZEEBE;
    }

    /** The alert's project, or for an organisation-wide alert its subject ({@code model:openai/gpt-4o}, ...). */
    static String correlationKey(FiredAlert alert) {
        return alert.project() == null || alert.project().isBlank() ? alert.subject() : alert.project();
    }

    @Override
    public void deliver(FiredAlert alert, String messageName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", messageName);
        body.put("correlationKey", correlationKey(alert));
        body.put("messageId", alert.id().toString());
        body.put("timeToLive", timeToLive.toMillis());
        body.put("variables", Map.of("aiopsAlert", WebhookAlertChannel.fields(alert)));
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        post.post(publication, body, headers);
    }
}

package io.aiops.policy.adapter.out.anchors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.adapter.out.http.PinnedHttp;
import io.aiops.policy.application.port.out.AnchorStore;
import io.aiops.policy.domain.OutboundPolicy;
import io.aiops.policy.domain.audit.ChainAnchor;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Posts each publication's anchors as one JSON array to a URL the operator configured (over {@link PinnedHttp}). */
public final class WebhookAnchorStore implements AnchorStore {

    private final URI target;
    private final PinnedHttp http;
    private final ObjectMapper json;

    public WebhookAnchorStore(URI target, PinnedHttp http, ObjectMapper json) {
        this.target = target;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return "webhook " + target.getHost();
    }

    @Override
    public void publish(List<ChainAnchor> anchors) throws IOException {
        int status;
        try {
            status = http.post(target, "application/json", json.writeValueAsBytes(anchors), Map.of());
        } catch (OutboundPolicy.Refused e) {
            throw new IOException("refused by the outbound policy: " + e.getMessage(), e);
        }
        if (status / 100 != 2) {
            throw new IOException("HTTP " + status);
        }
    }

    @Override
    public List<ChainAnchor> read(String project) {
        return List.of();
    }
}

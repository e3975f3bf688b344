package io.aiops.policy.adapter.out.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.adapter.out.http.PinnedHttp;
import io.aiops.policy.application.port.out.AlertChannel.DeliveryFailed;
import io.aiops.policy.domain.OutboundPolicy;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Posts one JSON body over {@link PinnedHttp} (an address the outbound policy permits, no redirects) and accepts any
 * 2xx. The answer's body is never read: a failure says only the status or a fixed reason, so a receiver's answer (an
 * internal service's, say) never reaches the alert's readers.
 */
final class JsonPost {

    private final ObjectMapper json;
    private final PinnedHttp http;

    JsonPost(ObjectMapper json, Duration timeout, OutboundPolicy policy) {
        this(json, new PinnedHttp(policy, timeout));
    }

    /** As above, trusting what {@code tls} trusts (tests: a receiver with its own certificate authority). */
    JsonPost(ObjectMapper json, Duration timeout, OutboundPolicy policy, SSLContext tls) {
        this(json, new PinnedHttp(policy, timeout, tls));
    }

    private JsonPost(ObjectMapper json, PinnedHttp http) {
        this.json = json;
        this.http = http;
    }

    void post(URI target, Object body, Map<String, String> headers) {
        post(target, bytes(body), headers);
    }

    byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert body", e);
        }
    }

    /** Posts {@code bytes} as they are (a signature over them stays valid). */
    void post(URI target, byte[] bytes, Map<String, String> headers) {
        int status;
        try {
            status = http.post(target, "application/json", bytes, headers);
        } catch (OutboundPolicy.Refused e) {
            throw new DeliveryFailed("refused by the outbound policy: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new DeliveryFailed("no answer within " + http.timeout(), e);
        } catch (IOException e) {
            throw new DeliveryFailed("no connection to " + target.getHost(), e);
        }
        if (status / 100 != 2) {
            throw new DeliveryFailed("HTTP " + status);
        }
    }
}

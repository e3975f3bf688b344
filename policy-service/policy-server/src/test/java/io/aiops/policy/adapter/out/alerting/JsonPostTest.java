package io.aiops.policy.adapter.out.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.aiops.policy.application.port.out.AlertChannel.DeliveryFailed;
import io.aiops.policy.domain.OutboundPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Posting to a webhook against a real local HTTP server standing in for an internal service: the outbound policy
 * decides before any connection, the connection goes to the checked address, and nothing of the answer but its
 * status comes back.
 */
class JsonPostTest {

    private HttpServer internal;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile int status = 403;

    @BeforeEach
    void internalService() throws Exception {
        internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("Host") + " alert="
                    + exchange.getRequestHeaders().getFirst("X-A")
                    + " body=" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "internal-secret: db password is hunter2".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        internal.stop(0);
    }

    private URI url(String host) {
        return URI.create("http://" + host + ":" + internal.getAddress().getPort() + "/internal/admin?x=1");
    }

    private JsonPost post(OutboundPolicy policy) {
        return new JsonPost(new ObjectMapper(), Duration.ofSeconds(5), policy);
    }

    @Test
    void aLoopbackTargetIsRefusedBeforeAnyConnection() {
        OutboundPolicy defaults = new OutboundPolicy(true, List.of(), InetAddress::getAllByName);

        assertThatThrownBy(() -> post(defaults).post(url("127.0.0.1"), Map.of("a", 1), Map.of()))
                .isInstanceOf(DeliveryFailed.class)
                .hasMessageContaining("refused by the outbound policy")
                .hasMessageContaining("loopback");
        assertThat(received).isEmpty();
    }

    @Test
    void aNameRebindingToLoopbackReachesNothing() {
        OutboundPolicy.Resolver rebinding = host -> {
            if (host.equals("hooks.example.test")) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            throw new UnknownHostException(host);
        };

        assertThatThrownBy(() -> post(new OutboundPolicy(true, List.of(), rebinding))
                        .post(url("hooks.example.test"), Map.of("a", 1), Map.of()))
                .hasMessageContaining("resolves to a loopback address");
        assertThat(received).isEmpty();
    }

    @Test
    void anAllowedTargetGetsThePostAndItsAnswerIsReducedToTheStatus() {
        // the name resolves to the address the policy checked; the connection goes there, the Host header keeps the
        // name
        OutboundPolicy.Resolver pinned = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        JsonPost post = post(new OutboundPolicy(true, List.of("127.0.0.0/8"), pinned));

        assertThatThrownBy(() -> post.post(url("receiver.test"), Map.of("a", 1), Map.of("X-A", "alert-1")))
                .isInstanceOf(DeliveryFailed.class)
                .hasMessage("HTTP 403")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("internal-secret", "hunter2"));
        status = 204;
        post.post(url("receiver.test"), Map.of("a", 2), Map.of("X-A", "alert-2"));

        assertThat(received)
                .containsExactly(
                        "POST /internal/admin?x=1 host=receiver.test:"
                                + internal.getAddress().getPort() + " alert=alert-1 body={\"a\":1}",
                        "POST /internal/admin?x=1 host=receiver.test:"
                                + internal.getAddress().getPort() + " alert=alert-2 body={\"a\":2}");
    }

    @Test
    void aRedirectIsNotFollowed() {
        status = 302;
        JsonPost post = post(new OutboundPolicy(true, List.of("127.0.0.0/8"), InetAddress::getAllByName));

        assertThatThrownBy(() -> post.post(url("127.0.0.1"), Map.of("a", 1), Map.of()))
                .hasMessage("HTTP 302");
        assertThat(received).hasSize(1);
    }
}

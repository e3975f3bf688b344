package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults at the HTTP level (cut JSON, dropped connection, 400) and faults limited to a window of the clock. */
class TransportFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private ProviderSimulator simulator;

    @BeforeEach
    void start() {
        simulator =
                ProviderSimulator.start(SimulatorConfig.builder().clock(clock).build());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void truncatedSendsACompleteHttpResponseWhoseJsonIsCutInHalf() throws Exception {
        String whole = chat().body();
        simulator.faults().add(FaultRule.parse("gpt-4o:truncated"));
        HttpResponse<String> cut = chat();
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.headers().firstValueAsLong("content-length"))
                .hasValue(cut.body().length());
        assertThat(cut.body()).startsWith("{\"id\":\"chatcmpl-sim");
        assertThat(cut.body().length()).isBetween(whole.length() / 2 - 2, whole.length() / 2 + 2);
        assertThatThrownBy(() -> JSON.readTree(cut.body())).isInstanceOf(IOException.class);
        assertThat(simulator.stats().faults("gpt-4o", FaultKind.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void dropClosesTheConnectionWithoutAStatusLine() {
        simulator.faults().add(FaultRule.parse("gpt-4o:dropx1"));
        assertThatThrownBy(this::chat).isInstanceOf(IOException.class);
        assertThat(simulator.stats().faults("gpt-4o", FaultKind.DROP)).isEqualTo(1);
    }

    @Test
    void badRequestFaultIsA400InTheFormatsShape() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o:400x1"));
        HttpResponse<String> rejected = chat();
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(rejected.body()).get("error").get("type").asText())
                .isEqualTo("invalid_request_error");
    }

    @Test
    void aWindowFaultIsActiveOnlyBetweenItsInstantsOfTheSimulatorsClock() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o:503@2026-11-26T10:01:00Z..2026-11-26T10:02:00Z"));
        assertThat(chat().statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(chat().statusCode()).isEqualTo(503);
        clock.advance(Duration.ofSeconds(59));
        assertThat(chat().statusCode()).isEqualTo(503);
        clock.advance(Duration.ofSeconds(1));
        assertThat(chat().statusCode()).isEqualTo(200);
        assertThat(simulator.faults().rules()).hasSize(1);
    }

    @Test
    void windowSpecsRoundTripAndRejectBadWindows() {
        String spec = "*:timeout@2026-11-26T10:00:00Z..2026-11-26T10:05:00Z";
        FaultRule rule = FaultRule.parse(spec);
        assertThat(rule.mode()).isEqualTo(FaultRule.Mode.WINDOW);
        assertThat(rule.spec()).isEqualTo(spec);
        assertThatThrownBy(() -> FaultRule.parse("*:503@2026-11-26T10:05:00Z..2026-11-26T10:00:00Z"))
                .hasMessageContaining("from < until");
        assertThatThrownBy(() -> FaultRule.parse("*:503@today..tomorrow")).hasMessageContaining("ISO-8601");
    }

    @Test
    void windowFaultsCanBeSetOverTheAdminApi() throws Exception {
        HttpResponse<String> set = HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/_sim/faults"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"kind\":\"drop\","
                                + "\"from\":\"2026-11-26T09:00:00Z\",\"until\":\"2026-11-26T11:00:00Z\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get(0).get("mode").asText()).isEqualTo("WINDOW");
        assertThatThrownBy(this::chat).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> chat() throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

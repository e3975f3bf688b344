package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.providers.CompletionRequest;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Transport failures every adapter shares, produced by a raw socket where an HTTP stub cannot misbehave enough. */
class ProviderHttpTest {

    @Test
    void aBodyCutShortOfItsContentLengthIsMalformedNotAConnectionFailure() throws Exception {
        String partial = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assist";
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerOnce(
                    listener,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n" + partial));
            ProviderEndpoint endpoint = new ProviderEndpoint(
                    "openai",
                    "openai",
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v1"),
                    null,
                    Map.of());
            assertThatThrownBy(() -> OpenAiChatAdapter.openAi()
                            .complete(
                                    endpoint,
                                    new CompletionRequest("gpt-4o", null, "hi", 10, Duration.ofSeconds(5), null)))
                    .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                        assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
                        assertThat(e.httpStatus()).isEqualTo(200);
                        assertThat(e.getMessage()).contains("cut off");
                    });
            served.join();
        }
    }

    @Test
    void versionSegmentsAreRecognised() {
        assertThat(ProviderHttp.endsWithVersion("https://api.anthropic.com/v1")).isTrue();
        assertThat(ProviderHttp.endsWithVersion("https://generativelanguage.googleapis.com/v1beta"))
                .isTrue();
        assertThat(ProviderHttp.endsWithVersion("https://api.anthropic.com")).isFalse();
        assertThat(ProviderHttp.endsWithVersion("http://localhost:8089/proxy/v1x/anthropic"))
                .isFalse();
    }

    private static void answerOnce(ServerSocket listener, String response) {
        try (Socket socket = listener.accept()) {
            byte[] buffer = new byte[8192];
            // read the request head and body before answering; the request is small and arrives in one go
            socket.getInputStream().read(buffer);
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

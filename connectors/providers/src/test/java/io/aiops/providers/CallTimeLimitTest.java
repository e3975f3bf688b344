package io.aiops.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The time limiter over a candidate's whole call: a hung provider gives a TIMEOUT, never a stuck job. */
class CallTimeLimitTest {

    private final ProviderEndpoint endpoint =
            new ProviderEndpoint("hung", "openai", URI.create("http://localhost:1"), null, Map.of());
    private final CompletionRequest request = new CompletionRequest("slow-model", null, "hi", 5, null, null);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    /** Never answers (as a provider that accepted the connection and then stalled), until its thread is interrupted. */
    private final ProviderAdapter hung = new ProviderAdapter() {
        @Override
        public String format() {
            return "openai";
        }

        @Override
        public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
            calls.incrementAndGet();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new ProviderCallException(ErrorClass.CONNECTION, 0, "interrupted", null, e);
            }
            throw new AssertionError("unreachable");
        }
    };

    @Test
    void aCallOverItsLimitEndsAsATimeOutAndTheAttemptInFlightIsAbandoned() throws Exception {
        ResilienceSettings settings = ResilienceSettings.custom()
                .maxAttempts(3)
                .callTimeout(Duration.ofMillis(200))
                .build();
        ResilientProviderCaller caller =
                new ResilientProviderCaller(settings, java.time.Clock.systemUTC(), RetryWaits.none());

        ProviderCallResult result = caller.call(endpoint, hung, request);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(result.failure().getMessage()).contains("200 ms");
        // the abandoned attempt is in the ledger as a time-out, and no retry was started after the limit
        assertThat(result.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.errorClass()).isEqualTo(ErrorClass.TIMEOUT));
        assertThat(interrupted.await(5, TimeUnit.SECONDS))
                .as("the hung attempt's thread was interrupted")
                .isTrue();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(result.attempts()).hasSize(1);
    }

    @Test
    void withoutAnExplicitLimitEveryAttemptAndTheWaitsBetweenThemFit() {
        ResilienceSettings settings = ResilienceSettings.custom()
                .timeout(Duration.ofSeconds(20))
                .maxAttempts(3)
                .maxBackoff(Duration.ofSeconds(5))
                .maxRetryAfter(Duration.ofSeconds(8))
                .build();

        // 3 attempts x 20 s + 2 waits x max(5 s, 8 s) + 1 s of slack
        assertThat(settings.effectiveCallTimeout()).isEqualTo(Duration.ofSeconds(77));
        assertThat(settings.toBuilder()
                        .callTimeout(Duration.ofSeconds(30))
                        .build()
                        .effectiveCallTimeout())
                .isEqualTo(Duration.ofSeconds(30));
    }
}

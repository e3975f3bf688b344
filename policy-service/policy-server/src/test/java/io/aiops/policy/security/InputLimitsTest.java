package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.support.PolicyServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Size limits on names, texts and bodies: problem+json naming the field, nothing written. */
class InputLimitsTest extends PolicyServerTest {

    @Test
    void anOverlongProjectNameIsRejectedNamingIt() {
        DecisionRequest r = request("p".repeat(257), "classify", 10, 10);
        int decisions = decisionCount();

        PolicyServiceException e = catchThrowableOfType(PolicyServiceException.class, () -> admin.decide(r));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("project");
        assertThat(decisionCount()).isEqualTo(decisions);
    }

    @Test
    void anOverlongResponseTextIsRejectedNamingIt() {
        String project = unique("limits");
        routeProjectTo(project, "limited-" + project, "0.000001", "0.000002");
        Decision decision = worker.decide(request(project, "classify", 10, 10));
        CallOutcome outcome = new CallOutcome(
                List.of(new CallOutcome.Attempt(
                        "acme", "limited-" + project, 1L, 0L, 0L, 1L, 0L, 1L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                "prompt",
                "x".repeat(200_001));

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class, () -> worker.reportOutcome(decision.decisionId(), outcome));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("https://aiops.io/problems/validation");
        assertThat(e.field()).isEqualTo("responseText");
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/decisions"))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"body\"");
    }
}

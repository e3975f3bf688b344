package io.aiops.policy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.Decision;
import io.aiops.policy.support.PolicyServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The server's metrics in Prometheus' format: scraped with an API key, decisions by outcome, no unbounded labels. */
class PrometheusEndpointTest extends PolicyServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<String> scrape(String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + "/actuator/prometheus"));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void decisionsAreCountedByProjectOutcomeAndReasonForAScraperWithAKey() throws Exception {
        String project = unique("metrics");
        routeProjectTo(project, "metered-" + project, "0.001", "0.001");
        Decision allowed = worker.decide(request(project, "classify", 10, 10));
        budget(project, "0.000001", BudgetDefinition.BudgetMode.HARD);
        Decision denied = worker.decide(request(project, "classify", 10, 10));
        assertThat(allowed.allowed()).isTrue();
        assertThat(denied.allowed()).isFalse();

        assertThat(scrape(null).statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = scrape(ADMIN_KEY);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body())
                .contains("aiops_decisions_total{outcome=\"allowed\",project=\"" + project
                        + "\",reason=\"\",task_kind=\"classify\"} 1.0")
                .contains("aiops_decisions_total{outcome=\"denied\",project=\"" + project
                        + "\",reason=\"BUDGET_EXCEEDED\",task_kind=\"classify\"} 1.0")
                .doesNotContain(allowed.decisionId().toString());
    }
}

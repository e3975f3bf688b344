package io.aiops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.connector.pipeline.CallObserver.Where;
import io.aiops.core.TokenUsage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worker's metrics as Prometheus scrapes them: GenAI convention names, bounded labels. */
class MicrometerCallObserverTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerCallObserver observer = new MicrometerCallObserver(registry);
    private final Where where = new Where("support", "support-ticket-triage", "classify_ticket", "classify");

    @Test
    void requestsTokensCostAndChecksAreScrapedUnderTheirConventionNames() {
        observer.attempt(where, "openai", "gpt-4o-mini", TokenUsage.NONE, Duration.ofMillis(300), "OVERLOADED");
        observer.attempt(
                where, "openai", "gpt-4o", new TokenUsage(120, 0, 0, 0, 7, 0, null), Duration.ofMillis(800), null);
        observer.recorded(where, "openai", "gpt-4o", new BigDecimal("0.00037"));
        observer.check(where, "openai", "gpt-4o", "category_valid", false);

        String scraped = registry.scrape();
        String labels = "bpmn_process_id=\"support-ticket-triage\",element_id=\"classify_ticket\","
                + "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"";
        assertThat(scraped)
                .contains("gen_ai_client_token_usage_tokens_sum{" + labels + ",gen_ai_token_type=\"input\","
                        + "project=\"support\",task_kind=\"classify\"} 120.0")
                .contains("gen_ai_token_type=\"output\",project=\"support\",task_kind=\"classify\"} 7.0")
                .contains("gen_ai_client_operation_duration_seconds_count{bpmn_process_id=\"support-ticket-triage\","
                        + "element_id=\"classify_ticket\",error_type=\"OVERLOADED\"")
                .contains("gen_ai_client_cost_usd_total{" + labels + ",gen_ai_usage_cost_currency=\"USD\","
                        + "gen_ai_usage_cost_source=\"local\",project=\"support\",task_kind=\"classify\"} 3.7E-4")
                .contains(
                        "aiops_quality_checks_total{bpmn_process_id=\"support-ticket-triage\",check=\"category_valid\"")
                .contains("result=\"fail\"");
        // a failed request has no tokens to count
        assertThat(scraped).doesNotContain("gen_ai_request_model=\"gpt-4o-mini\",gen_ai_token_type");
        assertThat(scraped).doesNotContain("process_instance");
    }
}

package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reading metric names out of the dashboard's PromQL, so the end-to-end check that the stack exports them
 * ({@link SupportTicketTriageProcessTest}) checks the right names.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of(System.getProperty("aiops.sandbox.root", ".."), "docs/grafana/ai-ops.json");

    @Test
    void metricNamesAreTheSelectorsNotFunctionsLabelsKeywordsOrVariables() {
        assertThat(GrafanaDashboard.metricNames("histogram_quantile(0.95, sum by (le, gen_ai_request_model) (rate("
                        + "gen_ai_client_operation_duration_seconds_bucket{project=~\"$project\", error_type!=\"\"}"
                        + "[$__rate_interval])))"))
                .containsExactly("gen_ai_client_operation_duration_seconds_bucket");
        assertThat(GrafanaDashboard.metricNames("max by (budget) (aiops_budget_spent_usd) / max by (budget) "
                        + "(aiops_budget_limit_usd) > bool 1e3 unless on(budget) up offset 5m"))
                .containsExactly("aiops_budget_spent_usd", "aiops_budget_limit_usd", "up");
        assertThat(GrafanaDashboard.metricNames("sum(rate(x_total{a='b,c', d=\"}\"}[5m]))"))
                .containsExactly("x_total");
        assertThat(GrafanaDashboard.metricNames("vector(1)")).isEmpty();
    }

    @Test
    void theExpositionsMetricNamesAreReadWithAndWithoutLabels() {
        String exposition = "# HELP a_total A\n# TYPE a_total counter\na_total{x=\"1\"} 2.0\nb_seconds_max 0.5\n";

        assertThat(GrafanaDashboard.exported(exposition)).containsExactly("a_total", "b_seconds_max");
    }

    @Test
    void theDashboardHasPanelsAndEveryQueryReadsAMetric() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);

        assertThat(dashboard.panelsWithQueries()).isGreaterThanOrEqualTo(10);
        assertThat(dashboard.metricsByQuery())
                .isNotEmpty()
                .allSatisfy((query, metrics) ->
                        assertThat(metrics).as(query.where()).isNotEmpty());
        // the variables read label values of a metric, not the label itself
        assertThat(dashboard.metricsByQuery().entrySet())
                .filteredOn(e -> e.getKey().where().startsWith("variable "))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.getValue()).containsExactly("gen_ai_client_cost_usd_total"));
    }
}

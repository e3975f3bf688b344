package io.aiops.sandbox;

import io.aiops.policy.api.FiredAlert;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alerts the policy server fired during a sandbox run, of every kind, as its alerts list ({@code GET
 * /api/v1/alerts}) has them: per alert its kind, rule, scope (workflow, element, provider and model where the kind
 * names them) and the figures that fired it (the alert's other details).
 */
final class FiredAlerts {

    /** Details that say what an alert is about rather than why it fired, and the names the summary gives them. */
    private static final Map<String, String> SCOPE = scopeNames();

    /** Details the summary leaves out: the project is the sandbox's. */
    private static final Set<String> LEFT_OUT = Set.of("project");

    private final List<FiredAlert> alerts;

    private FiredAlerts(List<FiredAlert> alerts) {
        this.alerts = alerts;
    }

    /** The alerts in the order they fired (the list endpoint answers newest first). */
    static FiredAlerts of(List<FiredAlert> alerts) {
        List<FiredAlert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparing(FiredAlert::firedAt).thenComparing(FiredAlert::subject));
        return new FiredAlerts(List.copyOf(sorted));
    }

    private static Map<String, String> scopeNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("bpmnProcessId", "workflow");
        names.put("elementId", "element");
        names.put("provider", "provider");
        names.put("model", "model");
        names.put("budgetId", "budget");
        return names;
    }

    int size() {
        return alerts.size();
    }

    /** What the alert is about: workflow, element, provider, model, budget, those its kind names. */
    private static Map<String, String> scope(FiredAlert alert) {
        Map<String, String> scope = new LinkedHashMap<>();
        SCOPE.forEach((detail, name) -> {
            String value = alert.details().get(detail);
            if (value != null) {
                scope.put(name, value);
            }
        });
        return scope;
    }

    /** The alert's other details, the figures that fired it, by name (the client's details keep no order). */
    private static Map<String, String> figures(FiredAlert alert) {
        Map<String, String> figures = new TreeMap<>();
        alert.details().forEach((name, value) -> {
            if (!SCOPE.containsKey(name) && !LEFT_OUT.contains(name)) {
                figures.put(name, value);
            }
        });
        return figures;
    }

    /** One line per alert under a heading; "alerts fired: none" when none did. */
    void print(PrintStream out) {
        out.println();
        if (alerts.isEmpty()) {
            out.println("alerts fired: none");
            return;
        }
        out.println("alerts fired: " + alerts.size());
        for (FiredAlert alert : alerts) {
            StringBuilder line = new StringBuilder("  ")
                    .append(alert.kind())
                    .append("  rule ")
                    .append(alert.ruleId());
            scope(alert)
                    .forEach((name, value) ->
                            line.append("  ").append(name).append(' ').append(value));
            out.println(line);
            StringBuilder figures = new StringBuilder("    ");
            figures(alert)
                    .forEach((name, value) ->
                            figures.append(name).append('=').append(value).append("  "));
            out.println(figures.toString().stripTrailing());
        }
    }

    /** {@code alertsFired}: per alert its kind, rule, subject, scope fields, figures, message and when it fired. */
    Map<String, Object> asJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (FiredAlert alert : alerts) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", alert.kind().name());
            json.put("rule", alert.ruleId());
            json.put("subject", alert.subject());
            json.putAll(scope(alert));
            json.put("figures", figures(alert));
            json.put("message", alert.message());
            json.put("firedAt", alert.firedAt().toString());
            list.add(json);
        }
        return Map.of("alertsFired", list);
    }
}

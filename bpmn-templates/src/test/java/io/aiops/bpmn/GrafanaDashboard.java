package io.aiops.bpmn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL queries of a Grafana dashboard (every panel's targets, rows' nested panels included, and the templating
 * variables' {@code label_values(...)} queries) and the metric names each one reads.
 */
final class GrafanaDashboard {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    /** One panel's (or variable's) query. */
    record Query(String where, String expr) {}

    private final List<Query> queries;
    private final int panelsWithQueries;

    private GrafanaDashboard(List<Query> queries, int panelsWithQueries) {
        this.queries = List.copyOf(queries);
        this.panelsWithQueries = panelsWithQueries;
    }

    static GrafanaDashboard read(Path file) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        List<Query> queries = new ArrayList<>();
        int panels = collect(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String expr =
                        query.isTextual() ? query.asText() : query.path("query").asText();
                queries.add(new Query("variable " + variable.path("name").asText(), labelValuesSelector(expr)));
            }
        }
        return new GrafanaDashboard(queries, panels);
    }

    /** Adds the queries of these panels and their nested ones; returns how many panels have a query. */
    private static int collect(JsonNode panels, List<Query> into) {
        int withQueries = 0;
        for (JsonNode panel : panels) {
            withQueries += collect(panel.path("panels"), into);
            boolean any = false;
            for (JsonNode target : panel.path("targets")) {
                into.add(new Query(
                        "panel \"" + panel.path("title").asText() + "\" "
                                + target.path("refId").asText(),
                        target.path("expr").asText()));
                any = true;
            }
            withQueries += any ? 1 : 0;
        }
        return withQueries;
    }

    /** {@code label_values(metric{...}, label)} reads {@code metric}; the label is not a metric. */
    private static String labelValuesSelector(String expr) {
        Matcher m = LABEL_VALUES.matcher(expr);
        return m.matches() ? m.group(1) : expr;
    }

    List<Query> queries() {
        return queries;
    }

    int panelsWithQueries() {
        return panelsWithQueries;
    }

    /** Every query with the metric names it reads, in the dashboard's order. */
    Map<Query, Set<String>> metricsByQuery() {
        Map<Query, Set<String>> metrics = new LinkedHashMap<>();
        queries.forEach(q -> metrics.put(q, metricNames(q.expr())));
        return metrics;
    }

    /**
     * The metric names a PromQL expression reads: identifiers left once strings, label matchers, ranges, grouping
     * clauses and dashboard variables are taken out, that are neither a function call nor a keyword.
     */
    static Set<String> metricNames(String promql) {
        String rest = STRING.matcher(promql).replaceAll(" ");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            boolean call = m.group(1) != null;
            String name = m.group().replaceAll("\\s*\\($", "");
            // a number's exponent (1e3) is no name
            boolean partOfNumber = m.start() > 0 && Character.isDigit(rest.charAt(m.start() - 1));
            if (!call && !partOfNumber && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The metric names in a Prometheus text exposition. */
    static Set<String> exported(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}

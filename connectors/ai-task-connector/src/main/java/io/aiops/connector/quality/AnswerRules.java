package io.aiops.connector.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RuleScore;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule checks of one AI task, run by the worker on every answer: cheap, deterministic, no extra model call. Each
 * check that applies to the task yields a boolean {@link Score} of source {@link ScoreSource#RULE} named after its
 * {@link RuleScore}: the answer is not empty, not cut off, not a refusal; with a JSON schema it parses as JSON and
 * conforms to the schema (draft 2020-12 unless the schema names another); with categories it names one of them (an answer
 * naming none is read as the task's fallback category, and the check still fails); with length bounds its length lies within them. The task's quality gate names the checks an answer must pass to be
 * accepted; one that fails them is paid for and recorded, and the next candidate model is tried.
 */
public final class AnswerRules {

    /**
     * The version of these checks, recorded with every score they give. 2: category_valid compares Unicode
     * compatibility forms, typographic quotes and more final punctuation.
     */
    public static final String VERSION = "2";

    /** The gate value that means every check the task runs. */
    public static final String GATE_ALL = "all";

    /** Compiled schemas by their text: a task's schema is compiled once per worker, not once per answer. */
    private static final int MAX_CACHED_SCHEMAS = 256;

    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(AnswerRules.class);
    private static final ObjectMapper JSON = PolicyClient.JSON;
    // remote $refs are never fetched: a schema in a diagram must not make the worker call out
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));

    private final String schemaText;
    private final Schema schema;
    private final DeclaredCategories categories;
    private final Integer minChars;
    private final Integer maxChars;
    private final Set<String> gate;
    private final boolean gateAll;

    private AnswerRules(
            String schemaText,
            Schema schema,
            DeclaredCategories categories,
            Integer minChars,
            Integer maxChars,
            Set<String> gate,
            boolean gateAll) {
        this.schemaText = schemaText;
        this.schema = schema;
        this.categories = categories;
        this.minChars = minChars;
        this.maxChars = maxChars;
        this.gate = gate;
        this.gateAll = gateAll;
    }

    /**
     * The checks the task declares.
     *
     * @throws IllegalArgumentException when the JSON schema is not one, the length bounds are crossed or the gate names
     *     an unknown check: the diagram must be fixed, so no decision is asked for
     */
    public static AnswerRules of(AiTaskRequest request) {
        String schemaText = schemaText(request.jsonSchema());
        Schema schema = schemaText == null ? null : compile(schemaText);
        DeclaredCategories categories = DeclaredCategories.of(request.categories(), request.fallbackCategory());
        Integer min = request.minAnswerChars();
        Integer max = request.maxAnswerChars();
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(
                    "minAnswerChars (" + min + ") is greater than maxAnswerChars (" + max + ")");
        }
        Set<String> gate = new LinkedHashSet<>();
        boolean all = false;
        String gateText = request.qualityGate();
        if (gateText != null && !gateText.isBlank()) {
            for (String name : gateText.split("[,\\s]+")) {
                if (name.isBlank()) {
                    continue;
                }
                String normalised = name.strip().toLowerCase(Locale.ROOT);
                if (normalised.equals(GATE_ALL)) {
                    all = true;
                } else if (RuleScore.byName(normalised).isPresent()) {
                    gate.add(normalised);
                } else {
                    throw new IllegalArgumentException("qualityGate names the unknown check '" + name.strip()
                            + "'; known: " + GATE_ALL + ", "
                            + Arrays.stream(RuleScore.values())
                                    .map(RuleScore::scoreName)
                                    .collect(Collectors.joining(", ")));
                }
            }
        }
        return new AnswerRules(schemaText, schema, categories, min, max, Set.copyOf(gate), all);
    }

    /** The JSON schema as text, as sent to the provider; null when the task declares none. */
    public String schemaText() {
        return schemaText;
    }

    /** The declared categories, in order; empty when the task declares none. */
    public List<String> categories() {
        return categories.names();
    }

    /** The category an answer naming none of the declared ones is read as; null when the task gives none. */
    public String fallbackCategory() {
        return categories.fallback();
    }

    /** True when some answers may be turned away. */
    public boolean gated() {
        return gateAll || !gate.isEmpty();
    }

    /**
     * Checks one answer.
     *
     * @param finishReason why the provider stopped, as it said (null when unknown, e.g. for a replayed answer)
     * @param attemptNo the answer's attempt number in the call's outcome (null: not known)
     */
    public CheckedAnswer check(String text, String finishReason, Integer attemptNo) {
        List<Score> scores = new ArrayList<>(7);
        boolean empty = text == null || text.isBlank();
        scores.add(score(RuleScore.NOT_EMPTY, !empty, empty ? "the answer is empty" : null, attemptNo));
        boolean truncated = RefusalSignals.truncated(finishReason);
        scores.add(score(
                RuleScore.NOT_TRUNCATED,
                !truncated,
                truncated ? "the provider stopped at the output token limit (" + finishReason + ")" : null,
                attemptNo));
        boolean refused = RefusalSignals.refused(text, finishReason);
        scores.add(score(
                RuleScore.NOT_REFUSED,
                !refused,
                refused ? "the model declined (finish reason " + finishReason + ")" : null,
                attemptNo));
        Object json = null;
        if (schema != null) {
            JsonNode node = empty ? null : readJson(text);
            scores.add(score(
                    RuleScore.JSON_VALID, node != null, node == null ? "the answer is not JSON" : null, attemptNo));
            if (node != null) {
                json = JSON.convertValue(node, Object.class);
                String violations = violations(node);
                if (violations != null) {
                    scores.add(score(RuleScore.SCHEMA_VALID, violations.isEmpty(), blankToNull(violations), attemptNo));
                }
            } else {
                scores.add(score(RuleScore.SCHEMA_VALID, false, "the answer is not JSON", attemptNo));
            }
        }
        String category = null;
        if (categories.declared()) {
            String named = categories.named(text);
            // the check tells whether the model named a category; the result carries the fallback when it did not
            category = named != null ? named : categories.fallback();
            scores.add(score(
                    RuleScore.CATEGORY_VALID,
                    named != null,
                    named == null ? "the answer names none of the categories " + categories.names() : null,
                    attemptNo));
        }
        if (minChars != null || maxChars != null) {
            int length = text == null
                    ? 0
                    : text.strip().codePointCount(0, text.strip().length());
            boolean within = (minChars == null || length >= minChars) && (maxChars == null || length <= maxChars);
            scores.add(score(
                    RuleScore.LENGTH_OK,
                    within,
                    within
                            ? null
                            : "the answer has " + length + " characters, outside " + (minChars == null ? 0 : minChars)
                                    + ".." + (maxChars == null ? "" : maxChars),
                    attemptNo));
        }
        return new CheckedAnswer(json, category, scores);
    }

    /** The checks of the gate this answer failed (empty: it passes). */
    public List<String> gateFailures(CheckedAnswer answer) {
        if (!gated()) {
            return List.of();
        }
        return answer.scores().stream()
                .filter(Score::failed)
                .map(Score::name)
                .filter(name -> gateAll || gate.contains(name))
                .toList();
    }

    private static Score score(RuleScore check, boolean passed, String explanation, Integer attemptNo) {
        if (explanation != null && explanation.length() > Score.MAX_EXPLANATION_CHARS) {
            explanation = explanation.substring(0, Score.MAX_EXPLANATION_CHARS - 1) + "…";
        }
        return Score.passFail(check.scoreName(), passed, ScoreSource.RULE, explanation, VERSION, attemptNo);
    }

    /** The answer as JSON (a Markdown code fence around it is dropped); null when it is not JSON. */
    public static JsonNode readJson(String answer) {
        try {
            JsonNode node = JSON.readTree(stripCodeFence(answer));
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The schema's complaints about the answer, joined ("" when it conforms); null when the schema could not be
     * applied (a reference it cannot resolve, say), so no verdict is given.
     */
    private String violations(JsonNode node) {
        try {
            List<Error> errors = schema.validate(node);
            return errors.stream().limit(5).map(Error::toString).collect(Collectors.joining("; "));
        } catch (RuntimeException e) {
            LOG.warn("The task's JSON schema could not be applied to an answer: {}", e.toString());
            return null;
        }
    }

    private static Schema compile(String schemaText) {
        Schema cached = SCHEMAS.get(schemaText);
        if (cached != null) {
            return cached;
        }
        JsonNode node;
        try {
            node = JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("jsonSchema is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw new IllegalArgumentException("jsonSchema must be a JSON object");
        }
        Schema schema;
        try {
            schema = REGISTRY.getSchema(node);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("jsonSchema is not a valid JSON schema: " + e.getMessage(), e);
        }
        if (SCHEMAS.size() >= MAX_CACHED_SCHEMAS) {
            SCHEMAS.clear();
        }
        SCHEMAS.put(schemaText, schema);
        return schema;
    }

    /** The task's schema as text: a string as given, an object serialised; blank or absent means none. */
    private static String schemaText(Object schema) {
        if (schema == null || (schema instanceof String text && text.isBlank())) {
            return null;
        }
        if (schema instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("jsonSchema is not serialisable: " + e.getMessage(), e);
        }
    }

    /** Some models wrap JSON in a Markdown code fence even when asked for JSON only. */
    private static String stripCodeFence(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("```")) {
            int firstNewline = trimmed.indexOf('\n');
            int closing = trimmed.lastIndexOf("```");
            if (firstNewline > 0 && closing > firstNewline) {
                return trimmed.substring(firstNewline + 1, closing);
            }
        }
        return trimmed;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

package io.aiops.connector.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.connector.model.AiTaskRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the rule checks add to one answer: a 10 kB JSON answer against a 50-property schema (the target is at most
 * 1 ms), with the JSON parse alone as the baseline. See docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgs = "-Xmx256m")
public class AnswerRulesBenchmark {

    static final int PROPERTIES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AiTaskRequest request;
    private AnswerRules rules;
    private String conforming;
    private String offSchema;

    @Setup
    public void setUp() throws JsonProcessingException {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        ObjectNode answer = JSON.createObjectNode();
        for (int i = 0; i < PROPERTIES; i++) {
            String name = "field" + i;
            required.add(name);
            switch (i % 5) {
                case 0 -> {
                    properties.putObject(name).put("type", "integer").put("minimum", 0);
                    answer.put(name, i * 1000);
                }
                case 1 -> {
                    properties.putObject(name).put("type", "number");
                    answer.put(name, i * 1.5);
                }
                case 2 -> {
                    ObjectNode property = properties.putObject(name).put("type", "string");
                    property.putArray("enum").add("open").add("closed").add("pending");
                    answer.put(name, "pending");
                }
                case 3 -> {
                    properties.putObject(name).put("type", "boolean");
                    answer.put(name, i % 2 == 0);
                }
                default -> {
                    properties.putObject(name).put("type", "string").put("maxLength", 1000);
                    answer.put(name, "x".repeat(950));
                }
            }
        }
        request = new AiTaskRequest(
                "bench",
                "extract",
                null,
                null,
                null,
                "prompt",
                null,
                4096,
                null,
                JSON.writeValueAsString(schema),
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                "schema_valid",
                null,
                null);
        rules = AnswerRules.of(request);
        conforming = JSON.writeValueAsString(answer);
        answer.put("field0", "not a number");
        answer.put("unexpected", true);
        offSchema = JSON.writeValueAsString(answer);
        if (conforming.length() < 10_000 || !rules.check(conforming, "stop", 1).quality().get("schema_valid")) {
            throw new IllegalStateException("the conforming answer must be >= 10 kB and pass: " + conforming.length());
        }
        if (rules.check(offSchema, "stop", 1).quality().get("schema_valid")) {
            throw new IllegalStateException("the off-schema answer must fail");
        }
    }

    /** Baseline: reading the answer as JSON, which any structured answer needs anyway. */
    @Benchmark
    public JsonNode parseOnly() throws JsonProcessingException {
        return JSON.readTree(conforming);
    }

    /** Every check on a conforming answer: parse, schema, refusal, truncation, emptiness. */
    @Benchmark
    public CheckedAnswer checkConformingAnswer() {
        return rules.check(conforming, "stop", 1);
    }

    /** Every check on an answer the schema refuses (the validator collects its complaints). */
    @Benchmark
    public CheckedAnswer checkOffSchemaAnswer() {
        return rules.check(offSchema, "stop", 1);
    }

    /** Reading the task's declarations once per job (the compiled schema comes from the cache). */
    @Benchmark
    public AnswerRules rulesOfTheTask() {
        return AnswerRules.of(request);
    }
}

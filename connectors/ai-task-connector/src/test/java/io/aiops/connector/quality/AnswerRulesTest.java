package io.aiops.connector.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.connector.model.AiTaskRequest;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule checks every answer gets, as a builder declares them on the AI task. */
class AnswerRulesTest {

    static final String SCHEMA = """
            {"type":"object","required":["invoice","total"],
             "properties":{"invoice":{"type":"string","pattern":"^INV-"},"total":{"type":"number","minimum":0}},
             "additionalProperties":false}""";

    static AiTaskRequest task(Object schema, Object categories, Integer min, Integer max, String gate) {
        return task(schema, categories, null, min, max, gate);
    }

    static AiTaskRequest task(
            Object schema, Object categories, String fallbackCategory, Integer min, Integer max, String gate) {
        return new AiTaskRequest(
                "support",
                "extract",
                null,
                null,
                null,
                "prompt",
                null,
                256,
                null,
                schema,
                Map.of(),
                null,
                categories,
                fallbackCategory,
                min,
                max,
                gate,
                null,
                null);
    }

    static AnswerRules rules(Object schema, Object categories, Integer min, Integer max, String gate) {
        return AnswerRules.of(task(schema, categories, min, max, gate));
    }

    static Score score(CheckedAnswer answer, String name) {
        return answer.scores().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no score " + name + " in " + answer.scores()));
    }

    @Test
    void everyAnswerGetsTheThreeGeneralChecksAndNothingElseWithoutDeclarations() {
        CheckedAnswer answer = rules(null, null, null, null, null).check("billing", "stop", 1);

        assertThat(answer.quality())
                .containsExactly(
                        Map.entry("not_empty", true), Map.entry("not_truncated", true), Map.entry("not_refused", true));
        Score notEmpty = score(answer, "not_empty");
        assertThat(notEmpty.type()).isEqualTo(ScoreType.BOOLEAN);
        assertThat(notEmpty.source()).isEqualTo(ScoreSource.RULE);
        assertThat(notEmpty.scorerVersion()).isEqualTo(AnswerRules.VERSION);
        assertThat(notEmpty.attemptNo()).isEqualTo(1);
        assertThat(answer.json()).isNull();
        assertThat(answer.category()).isNull();
    }

    @Test
    void aConformingAnswerPassesBothJsonChecksAndIsParsed() {
        CheckedAnswer answer = rules(SCHEMA, null, null, null, null)
                .check("```json\n{\"invoice\":\"INV-1\",\"total\":3}\n```", "stop", 2);

        assertThat(answer.quality()).containsEntry("json_valid", true).containsEntry("schema_valid", true);
        assertThat(answer.json()).isEqualTo(Map.of("invoice", "INV-1", "total", 3));
    }

    @Test
    void anOffSchemaAnswerParsesButFailsTheSchemaSayingWhere() {
        CheckedAnswer answer = rules(SCHEMA, null, null, null, "schema_valid")
                .check("{\"invoice\":\"X-1\",\"total\":-2,\"extra\":true}", "stop", 1);

        assertThat(answer.quality()).containsEntry("json_valid", true).containsEntry("schema_valid", false);
        assertThat(score(answer, "schema_valid").explanation())
                .contains("invoice")
                .contains("total")
                .contains("extra");
        assertThat(answer.json()).isNotNull();
    }

    @Test
    void proseWhereJsonWasAskedFailsBothJsonChecks() {
        CheckedAnswer answer = rules(SCHEMA, null, null, null, null).check("The invoice is INV-1.", "stop", 1);

        assertThat(answer.quality()).containsEntry("json_valid", false).containsEntry("schema_valid", false);
        assertThat(answer.json()).isNull();
    }

    @Test
    void anAnswerCutOffAtTheTokenLimitIsTruncatedWhateverTheProviderCallsIt() {
        AnswerRules rules = rules(null, null, null, null, null);
        for (String reason : List.of("length", "max_tokens", "MAX_TOKENS")) {
            assertThat(rules.check("The invoice is", reason, 1).quality())
                    .as(reason)
                    .containsEntry("not_truncated", false);
        }
    }

    @Test
    void refusalsAreReadFromProviderSignalsAndFromTheOpeningOfTheAnswer() {
        AnswerRules rules = rules(null, null, null, null, null);

        assertThat(rules.check("No.", "refusal", 1).quality()).containsEntry("not_refused", false);
        assertThat(rules.check("", "SAFETY", 1).quality()).containsEntry("not_refused", false);
        assertThat(rules.check("I’m sorry, but I can’t help with that request.", "stop", 1)
                        .quality())
                .containsEntry("not_refused", false);
        // a phrase quoted later in a long answer is not a refusal
        assertThat(rules.check("The customer wrote: I can't help with the login.", "stop", 1)
                        .quality())
                .containsEntry("not_refused", true);
    }

    @Test
    void categoriesMatchWithoutCaseQuotesOrFinalPunctuation() {
        AnswerRules rules = rules(null, "billing, technical,other", null, null, null);

        assertThat(rules.categories()).containsExactly("billing", "technical", "other");
        assertThat(rules.check(" \"Billing.\" ", "stop", 1).category()).isEqualTo("billing");
        assertThat(rules.check("TECHNICAL!", "stop", 1).category()).isEqualTo("technical");
        CheckedAnswer offList = rules.check("billing or technical", "stop", 1);
        assertThat(offList.category()).isNull();
        assertThat(offList.quality()).containsEntry("category_valid", false);
    }

    @Test
    void lengthBoundsCountCharactersNotBytes() {
        AnswerRules rules = rules(null, null, 3, 5, null);

        assertThat(rules.check("ééééé", "stop", 1).quality()).containsEntry("length_ok", true);
        assertThat(rules.check("ééééééé", "stop", 1).quality()).containsEntry("length_ok", false);
        assertThat(rules.check("ab", "stop", 1).quality()).containsEntry("length_ok", false);
    }

    @Test
    void oddTextIsScoredNotThrown() {
        AnswerRules rules = rules(SCHEMA, "a,b", 1, 10, "all");

        CheckedAnswer nul = rules.check("\u0000", "stop", 1);
        assertThat(nul.quality()).containsEntry("json_valid", false).containsEntry("category_valid", false);
        CheckedAnswer surrogate = rules.check("\uD800", "stop", 1);
        assertThat(surrogate.quality()).containsEntry("json_valid", false);
        CheckedAnswer nothing = rules.check(null, null, null);
        assertThat(nothing.quality()).containsEntry("not_empty", false).containsEntry("length_ok", false);
    }

    @Test
    void theGateNamesWhichFailedChecksTurnAnAnswerAway() {
        AnswerRules gated = rules(SCHEMA, null, null, null, "schema_valid");
        CheckedAnswer offSchema = gated.check("{\"invoice\":1}", "length", 1);

        assertThat(gated.gateFailures(offSchema)).containsExactly("schema_valid");
        assertThat(rules(SCHEMA, null, null, null, "all").gateFailures(offSchema))
                .containsExactly("not_truncated", "schema_valid");
        assertThat(rules(SCHEMA, null, null, null, null).gateFailures(offSchema))
                .isEmpty();
    }

    @Test
    void aDiagramThatDeclaresNonsenseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> rules("{not json", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jsonSchema is not JSON");
        assertThatThrownBy(() -> rules("[1,2]", null, null, null, null))
                .hasMessageContaining("jsonSchema must be a JSON object");
        assertThatThrownBy(() -> rules(null, null, 10, 5, null))
                .hasMessageContaining("minAnswerChars (10) is greater than maxAnswerChars (5)");
        assertThatThrownBy(() -> rules(null, null, null, null, "schema_valid, polite"))
                .hasMessageContaining("unknown check 'polite'");
        assertThatThrownBy(() -> rules(null, 42, null, null, null)).hasMessageContaining("categories must be");
    }

    @Test
    void aSchemaReferringToARemoteDocumentIsNotFetched() {
        // 192.0.2.1 is reserved for documentation: nothing answers there, so a fetch would hang or fail
        AnswerRules rules = rules("{\"$ref\":\"http://192.0.2.1/schema.json\"}", null, null, null, null);

        CheckedAnswer answer = rules.check("{\"a\":1}", "stop", 1);

        assertThat(answer.quality()).containsEntry("json_valid", true).doesNotContainKey("schema_valid");
    }
}

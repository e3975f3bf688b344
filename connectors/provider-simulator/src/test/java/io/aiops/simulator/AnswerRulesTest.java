package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AnswerRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void picksTheAllowedAnswerTheTicketMentions() {
        String prompt = "Classify the ticket. Answer with one of: billing, technical, account.\n"
                + "Ticket: The app shows a TECHNICAL error when I log in.";
        assertThat(AnswerRules.textAnswer("gpt-4o-mini", prompt)).isEqualTo("technical");
    }

    @Test
    void fallsBackToTheFirstOptionWhenTheTicketMentionsNone() {
        String prompt = "Answer with ONE OF: billing, technical, account\nTicket: hello";
        assertThat(AnswerRules.textAnswer("gpt-4o-mini", prompt)).isEqualTo("billing");
    }

    @Test
    void theEarliestMentionWinsAndWordsMustMatchWhole() {
        String prompt =
                "Reply one of: \"art\", billing or account.\nTicket: I started a billing dispute about my account";
        assertThat(AnswerRules.allowedAnswers(prompt)).containsExactly("art", "billing", "account");
        assertThat(AnswerRules.textAnswer("m", prompt)).isEqualTo("billing");
    }

    @Test
    void withoutAListTheAnswerNamesTheModelAndADigestOfThePrompt() {
        String answer = AnswerRules.textAnswer("gpt-4o", "Summarise this incident report");
        assertThat(answer).startsWith("Simulated answer from gpt-4o: prompt of 4 words, digest ");
        assertThat(answer).isEqualTo(AnswerRules.textAnswer("gpt-4o", "Summarise this incident report"));
        assertThat(answer).isNotEqualTo(AnswerRules.textAnswer("gpt-4o", "Summarise this other report"));
    }

    @Test
    void jsonAnswerFillsEveryPropertyWithTheDeclaredType() throws Exception {
        JsonNode schema = JSON.readTree("""
        {"type":"object","properties":{
          "category":{"type":"string","enum":["billing","technical","account"]},
          "confidence":{"type":"number","minimum":0,"maximum":1},
          "priority":{"type":"integer","minimum":2},
          "urgent":{"type":"boolean"},
          "summary":{"type":"string","maxLength":8},
          "tags":{"type":"array","items":{"type":"string"}},
          "owner":{"type":["object","null"],"properties":{"team":{"type":"string"}}}},
         "required":["category","confidence","note"],"additionalProperties":false}""");
        JsonNode answer = AnswerRules.jsonAnswer(schema, "Ticket: my account is locked");
        assertThat(answer.get("category").asText()).isEqualTo("account");
        assertThat(answer.get("confidence").isNumber()).isTrue();
        assertThat(answer.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(answer.get("priority").isIntegralNumber()).isTrue();
        assertThat(answer.get("priority").asLong()).isEqualTo(2);
        assertThat(answer.get("urgent").asBoolean()).isTrue();
        assertThat(answer.get("summary").asText()).hasSizeLessThanOrEqualTo(8);
        assertThat(answer.get("tags").isArray()).isTrue();
        assertThat(answer.get("owner").get("team").isTextual()).isTrue();
        assertThat(answer.has("note")).isTrue();
    }
}

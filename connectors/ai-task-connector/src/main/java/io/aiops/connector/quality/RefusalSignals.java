package io.aiops.connector.quality;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a worker tells that a model declined the task: the provider says so (OpenAI's {@code refusal} message, which the
 * adapter reports as finish reason {@code refusal}; OpenAI's {@code content_filter}; Anthropic's {@code refusal} stop
 * reason; Gemini's {@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT} and {@code SPII}
 * finish reasons), or the answer opens with one of {@link #PHRASES}. Only the opening is read, so a long answer that
 * quotes such a phrase later is not taken for a refusal.
 */
public final class RefusalSignals {

    /** Finish reasons (compared in lower case) that mean the model or the provider's filter declined. */
    public static final Set<String> FINISH_REASONS =
            Set.of("refusal", "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "spii");

    /** Finish reasons (compared in lower case) that mean the answer was cut off at the output token limit. */
    public static final Set<String> TRUNCATED = Set.of("length", "max_tokens", "max_output_tokens");

    /** Openings of an answer (lower case, straight apostrophes) that decline the task. */
    public static final List<String> PHRASES = List.of(
            "i can't help with",
            "i cannot help with",
            "i can't assist with",
            "i cannot assist with",
            "i can't provide",
            "i cannot provide",
            "i can't comply",
            "i cannot comply",
            "i'm sorry, but i can't",
            "i'm sorry, but i cannot",
            "i am sorry, but i cannot",
            "i'm unable to help",
            "i am unable to help",
            "i'm not able to help",
            "i won't be able to help",
            "as an ai language model, i cannot",
            "sorry, i can't",
            "sorry, i cannot");

    /** How much of the answer's opening is searched for a phrase. */
    static final int OPENING_CHARS = 160;

    /** True when the finish reason or the opening of the answer says the model declined. */
    public static boolean refused(String answer, String finishReason) {
        if (finishReason != null && FINISH_REASONS.contains(finishReason.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (answer == null) {
            return false;
        }
        String opening = answer.strip();
        opening = opening.substring(0, Math.min(opening.length(), OPENING_CHARS))
                .toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'');
        for (String phrase : PHRASES) {
            if (opening.startsWith(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** True when the finish reason says the answer was cut off at the output token limit. */
    public static boolean truncated(String finishReason) {
        return finishReason != null && TRUNCATED.contains(finishReason.toLowerCase(Locale.ROOT));
    }

    private RefusalSignals() {}
}

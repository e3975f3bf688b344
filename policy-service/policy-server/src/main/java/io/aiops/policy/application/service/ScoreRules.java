package io.aiops.policy.application.service;

import io.aiops.policy.api.RuleScore;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.quality.CallScore;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoreType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The rules a score must keep, whoever sends it (a worker with its outcome, a person or a later workflow step as
 * feedback), stated once: its value fits its type (a number 0..1 with at most {@value #MAX_SCALE} decimals, a boolean 1
 * or 0, a category a label and no value), a rule score carries the name of a known check and is boolean, the attempt
 * it names exists, and no score is given twice. Scores that keep them become the ledger's {@link CallScore}s, their
 * explanations redacted like the call's texts.
 */
final class ScoreRules {

    /** Decimals a score value keeps (the ledger's precision); more would be rounded, so they are refused. */
    static final int MAX_SCALE = 6;

    private ScoreRules() {}

    /**
     * Checks {@code scores} (the request field {@code field}) of a call with {@code attempts} attempts and turns them
     * into ledger scores.
     *
     * @throws RequestRejected naming the first score that breaks a rule
     */
    static List<CallScore> toLedger(
            String field,
            List<Score> scores,
            int attempts,
            UUID callId,
            UUID feedbackId,
            TextRedaction redaction,
            ApiPrincipal actor,
            Instant now) {
        List<CallScore> result = new ArrayList<>(scores.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scores.size(); i++) {
            Score s = scores.get(i);
            String at = field + "[" + i + "]";
            check(at, s, attempts);
            String key = s.source() + "/" + s.name() + "/" + s.attemptNo();
            if (!seen.add(key)) {
                throw RequestRejected.invalid(
                        at + ".name",
                        "score " + s.name() + " from " + s.source()
                                + (s.attemptNo() == null ? " of the call" : " of attempt " + s.attemptNo())
                                + " is given twice");
            }
            String explanation = s.explanation() == null ? null : StoredText.encode(redaction.apply(s.explanation()));
            result.add(new CallScore(
                    callId,
                    feedbackId,
                    s.attemptNo(),
                    s.name(),
                    ApiMapping.toDomain(s.type()),
                    s.value() == null ? null : s.value().stripTrailingZeros(),
                    s.label(),
                    ApiMapping.toDomain(s.source()),
                    explanation,
                    s.scorerVersion(),
                    actor.keyId(),
                    actor.name(),
                    now));
        }
        return result;
    }

    private static void check(String at, Score s, int attempts) {
        switch (s.type()) {
            case NUMERIC -> {
                if (s.value() == null) {
                    throw RequestRejected.invalid(at + ".value", "a NUMERIC score needs a value from 0 to 1");
                }
                noLabel(at, s);
            }
            case BOOLEAN -> {
                if (s.value() == null
                        || (s.value().compareTo(BigDecimal.ZERO) != 0
                                && s.value().compareTo(BigDecimal.ONE) != 0)) {
                    throw RequestRejected.invalid(at + ".value", "a BOOLEAN score's value is 1 (pass) or 0 (fail)");
                }
                noLabel(at, s);
            }
            case CATEGORICAL -> {
                if (s.label() == null || s.label().isBlank()) {
                    throw RequestRejected.invalid(at + ".label", "a CATEGORICAL score needs a label");
                }
                if (s.value() != null) {
                    throw RequestRejected.invalid(at + ".value", "a CATEGORICAL score has a label, not a value");
                }
            }
        }
        if (s.value() != null && s.value().stripTrailingZeros().scale() > MAX_SCALE) {
            throw RequestRejected.invalid(
                    at + ".value", "a score value has at most " + MAX_SCALE + " decimals, not " + s.value());
        }
        if (ApiMapping.toDomain(s.source()) == ScoreSource.RULE) {
            if (RuleScore.byName(s.name()).isEmpty()) {
                throw RequestRejected.invalid(
                        at + ".name",
                        "no rule check is named " + s.name() + "; rule scores are "
                                + Arrays.stream(RuleScore.values())
                                        .map(RuleScore::scoreName)
                                        .collect(Collectors.joining(", ")));
            }
            if (ApiMapping.toDomain(s.type()) != ScoreType.BOOLEAN) {
                throw RequestRejected.invalid(at + ".type", "rule check " + s.name() + " is BOOLEAN, not " + s.type());
            }
        }
        if (s.attemptNo() != null && s.attemptNo() > attempts) {
            throw RequestRejected.invalid(
                    at + ".attemptNo",
                    "attempt " + s.attemptNo() + " does not exist; the call has " + attempts + " attempt(s)");
        }
    }

    /** How a score reads in an audit entry's payload (its explanation as stored: redacted, escaped). */
    static Map<String, Object> auditForm(CallScore score) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", score.name());
        form.put("type", score.type().name());
        form.put("value", score.value());
        form.put("label", score.label());
        form.put("source", score.source().name());
        form.put("explanation", score.explanation());
        form.put("scorerVersion", score.scorerVersion());
        if (score.attemptNo() != null) {
            form.put("attemptNo", score.attemptNo());
        }
        return form;
    }

    /** The score as the API shows it (explanation read back unescaped). */
    static Score toApi(CallScore score) {
        return new Score(
                score.name(),
                ApiMapping.toApi(score.type()),
                // as given: the column's fixed six decimals are storage, not meaning
                score.value() == null ? null : score.value().stripTrailingZeros(),
                score.label(),
                ApiMapping.toApi(score.source()),
                score.explanation() == null ? null : StoredText.decode(score.explanation()),
                score.scorerVersion(),
                score.attemptNo());
    }

    private static void noLabel(String at, Score s) {
        if (s.label() != null) {
            throw RequestRejected.invalid(at + ".label", "only a CATEGORICAL score has a label");
        }
    }
}

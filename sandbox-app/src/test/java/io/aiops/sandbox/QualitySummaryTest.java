package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QualitySummaryTest {

    @Test
    void aTurnedAwayAnswerCountsForItsOwnModelAndCategoriesAreLeftOut() {
        CallRecord failedOver = new CallRecord(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "support",
                "invoice-extraction",
                1L,
                7L,
                "extract",
                70L,
                null,
                "extract",
                CallStatus.SUCCEEDED,
                "openai",
                "gpt-4o",
                10,
                0,
                0,
                2,
                0,
                BigDecimal.ONE,
                5,
                Instant.parse("2026-11-26T10:00:00Z"),
                List.of(attempt(1, "gpt-4o-mini", "QUALITY_GATE"), attempt(2, "gpt-4o", null)),
                false,
                List.of(
                        Score.passFail("schema_valid", false, ScoreSource.RULE, null, "1", 1),
                        Score.passFail("not_empty", true, ScoreSource.RULE, null, "1", 1),
                        Score.passFail("schema_valid", true, ScoreSource.RULE, null, "1", 2),
                        Score.passFail("reviewer_accepted", false, ScoreSource.HUMAN, null, null, null),
                        new Score("tone", ScoreType.CATEGORICAL, null, "formal", ScoreSource.JUDGE, null, null, null)),
                null);

        QualitySummary summary = QualitySummary.of(Map.of(7L, List.of(failedOver)));

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byModel =
                (Map<String, Map<String, Object>>) summary.asJson().get("qualityByModel");
        assertThat(byModel.get("gpt-4o-mini"))
                .containsEntry("answers", 1)
                .containsEntry("checks", 2L)
                .containsEntry("failed", 1L)
                .containsEntry("passRatePercent", "50.0")
                .containsEntry("failedByCheck", Map.of("schema_valid", 1L));
        // the reviewer's verdict is about the call, which gpt-4o answered
        assertThat(byModel.get("gpt-4o"))
                .containsEntry("answers", 1)
                .containsEntry("checks", 2L)
                .containsEntry("failed", 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("invoice-extraction")
                .contains("failed: {schema_valid=1}");
    }

    private static CallRecord.AttemptRecord attempt(int n, String model, String errorClass) {
        return new CallRecord.AttemptRecord(
                n,
                "openai",
                model,
                10,
                0,
                0,
                2,
                0,
                5,
                errorClass == null ? CallStatus.SUCCEEDED : CallStatus.FAILED,
                errorClass,
                BigDecimal.ZERO);
    }
}

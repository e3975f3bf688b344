package io.aiops.policy.application.service.fakes;

import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.domain.quality.CallScore;
import io.aiops.policy.domain.quality.Feedback;
import io.aiops.policy.domain.quality.ScoredCall;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Scores and feedback in lists; the call lookups join the ledger in SQL and are not faked. */
public final class InMemoryScoreStore implements ScoreStore {

    private final List<CallScore> scores = new ArrayList<>();
    private final List<Feedback> feedback = new ArrayList<>();

    /** Appends; there are no rollups to keep here (the quality report reads the database, not this fake). */
    @Override
    public void appendOutcomeScores(UUID callId, List<CallScore> added) {
        scores.addAll(added);
    }

    @Override
    public void appendFeedbackScores(Feedback given, List<CallScore> added) {
        scores.addAll(added);
    }

    @Override
    public Map<UUID, List<CallScore>> scoresOf(Collection<UUID> callIds) {
        Map<UUID, List<CallScore>> result = new LinkedHashMap<>();
        for (CallScore score : scores) {
            if (callIds.contains(score.callId())) {
                result.computeIfAbsent(score.callId(), id -> new ArrayList<>()).add(score);
            }
        }
        return result;
    }

    @Override
    public boolean insertFeedbackIfAbsent(Feedback added) {
        if (added.idempotencyKey() != null
                && feedbackByKey(added.callId(), added.idempotencyKey()).isPresent()) {
            return false;
        }
        feedback.add(added);
        return true;
    }

    @Override
    public Optional<Feedback> feedbackByKey(UUID callId, String idempotencyKey) {
        return feedback.stream()
                .filter(f -> f.callId().equals(callId) && idempotencyKey.equals(f.idempotencyKey()))
                .findFirst();
    }

    @Override
    public Optional<ScoredCall> call(UUID callId) {
        throw new UnsupportedOperationException("not faked: it joins the ledger in SQL");
    }

    @Override
    public Optional<ScoredCall> lastCallOf(long processInstanceKey, String elementId) {
        throw new UnsupportedOperationException("not faked: it joins the ledger in SQL");
    }

    /** Every score appended, in order. */
    public List<CallScore> all() {
        return List.copyOf(scores);
    }
}

package io.aiops.policy.domain.quality;

import java.math.BigDecimal;

/** How a project (or workflow) has its answers judged by another model: which share, by whom, against what. */
public record JudgePolicy(
        BigDecimal sampleRate,
        String provider,
        String model,
        String rubric,
        String criteria,
        String scoreName,
        int maxOutputTokens) {}

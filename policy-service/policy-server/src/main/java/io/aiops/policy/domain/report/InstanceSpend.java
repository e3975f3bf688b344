package io.aiops.policy.domain.report;

import java.math.BigDecimal;
import java.time.Instant;

/** A process instance and what its AI calls cost in all. */
public record InstanceSpend(
        String project,
        long processInstanceKey,
        String bpmnProcessId,
        Instant firstCallAt,
        Instant lastCallAt,
        long calls,
        BigDecimal costUsd) {}

package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_RETENTION_DAYS;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How many days request/response text and audit payloads of a project are kept before the purge removes them. */
public record RetentionSettings(
        @NotNull @Min(1) @Max(MAX_RETENTION_DAYS) Integer retentionDays) {}

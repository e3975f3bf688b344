package io.aiops.policy.api;

/** How many days request/response text and audit payloads of a project are kept before the purge removes them. */
public record RetentionSettings(Integer retentionDays) {}

package io.aiops.policy.domain.call;

/**
 * One model a call may try, in failover order: its provider and model, the output tokens it may produce and how long
 * one attempt may take (0: the caller's default).
 */
public record Candidate(String provider, String model, int maxOutputTokens, long timeoutMs) {}

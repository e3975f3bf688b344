package io.aiops.policy.api;

import jakarta.validation.constraints.NotNull;

/** A project's {@link OnPolicyUnavailable} setting. */
public record PolicyUnavailableSettings(@NotNull OnPolicyUnavailable onPolicyUnavailable) {}

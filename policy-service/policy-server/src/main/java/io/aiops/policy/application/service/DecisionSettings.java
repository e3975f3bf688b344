package io.aiops.policy.application.service;

import java.time.Duration;

/**
 * Tunables of the decision path: how long a reservation lives without an outcome, and the defaults for requests that
 * leave out their size or a policy that leaves out a timeout.
 */
public record DecisionSettings(Duration reservationTtl, int defaultMaxOutputTokens, Duration defaultTimeout) {

  public DecisionSettings {
    if (reservationTtl.isNegative() || reservationTtl.isZero()) {
      throw new IllegalArgumentException("reservation TTL must be positive");
    }
    if (defaultMaxOutputTokens < 1) {
      throw new IllegalArgumentException("default max output tokens must be at least 1");
    }
  }
}

package io.aiops.policy.domain.call;

/** Final state of one AI call or one attempt of it. */
public enum CallStatus {
    SUCCEEDED,
    FAILED
}

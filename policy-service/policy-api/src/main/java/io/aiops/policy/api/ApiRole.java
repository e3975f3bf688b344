package io.aiops.policy.api;

/** What an API key may do: admin manages policies and keys, worker asks for decisions and reports outcomes, viewer reads. */
public enum ApiRole {
    ADMIN,
    WORKER,
    VIEWER
}

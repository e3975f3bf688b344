package io.aiops.policy.api;

import java.time.Instant;

/**
 * A one-time link into the dashboards: whoever opens it before {@code expiresAt} is signed in, once, as the admin key
 * that asked for it (with that key's projects).
 */
public record SignInLink(String url, Instant expiresAt) {}

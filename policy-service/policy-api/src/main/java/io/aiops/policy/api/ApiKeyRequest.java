package io.aiops.policy.api;

import java.util.List;

/** Asks for a new API key with one role, optionally limited to projects (empty = all projects). */
public record ApiKeyRequest(String name, ApiRole role, List<String> projects) {}

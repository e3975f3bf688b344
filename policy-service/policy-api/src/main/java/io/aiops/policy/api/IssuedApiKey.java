package io.aiops.policy.api;

import java.util.List;
import java.util.UUID;

/** A freshly created API key; {@code key} is shown only in this response and stored hashed. */
public record IssuedApiKey(UUID id, String name, ApiRole role, List<String> projects, String key) {}

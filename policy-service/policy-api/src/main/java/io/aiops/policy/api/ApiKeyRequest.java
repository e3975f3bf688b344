package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_KEY_PROJECTS;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Asks for a new API key with one role, optionally limited to projects (empty = all projects). */
public record ApiKeyRequest(
        @NotBlank @Name String name,
        @NotNull ApiRole role,
        @Size(max = MAX_KEY_PROJECTS) List<@NotBlank @Name String> projects) {}

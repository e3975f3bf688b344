package io.aiops.policy.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Where {@code PUT /api/v1/prompts/{name}/labels/{label}} points a label: a version of the prompt. */
public record PromptLabel(@NotNull @Positive Integer version) {}

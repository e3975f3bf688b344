package io.aiops.policy.application.port.in;

import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.PromptVersion;
import java.util.List;

/** The prompt registry: versions are created, never edited; labels move between them. */
public interface PromptUseCase {

    /** The result of a put: the version, and whether it is new (a definition saying the same returns the latest). */
    record PutResult(PromptVersion version, boolean created) {}

    PutResult putPrompt(String name, PromptDefinition definition, ApiPrincipal actor);

    PromptVersion latest(String name, ApiPrincipal actor);

    PromptVersion version(String name, int version, ApiPrincipal actor);

    PromptVersion labelled(String name, String label, ApiPrincipal actor);

    List<PromptVersion> versions(String name, ApiPrincipal actor);

    PromptVersion setLabel(String name, String label, int version, ApiPrincipal actor);
}

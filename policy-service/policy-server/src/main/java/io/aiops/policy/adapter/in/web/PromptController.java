package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.Name;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.PromptLabel;
import io.aiops.policy.api.PromptVersion;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.PromptUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The prompt registry: immutable versions, moving labels. */
@RestController
class PromptController {

    private final PromptUseCase prompts;

    PromptController(PromptUseCase prompts) {
        this.prompts = prompts;
    }

    @PutMapping("/api/v1/prompts/{name}")
    ResponseEntity<PromptVersion> put(
            @PathVariable @Name String name,
            @Valid @RequestBody PromptDefinition definition,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        PromptUseCase.PutResult result = prompts.putPrompt(name, definition, principal);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.version());
    }

    @GetMapping("/api/v1/prompts/{name}")
    PromptVersion latest(
            @PathVariable @Name String name,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return prompts.latest(name, principal);
    }

    @GetMapping("/api/v1/prompts/{name}/versions")
    List<PromptVersion> versions(
            @PathVariable @Name String name,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return prompts.versions(name, principal);
    }

    @GetMapping("/api/v1/prompts/{name}/versions/{version}")
    PromptVersion version(
            @PathVariable @Name String name,
            @PathVariable int version,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return prompts.version(name, version, principal);
    }

    /** A version is never edited: a changed prompt is a new version. */
    @PutMapping("/api/v1/prompts/{name}/versions/{version}")
    PromptVersion editVersion(@PathVariable @Name String name, @PathVariable int version) {
        throw new RequestRejected(
                RequestRejected.Kind.CONFLICT,
                "version",
                "prompt versions are immutable: PUT /api/v1/prompts/" + name
                        + " stores the changed prompt as the next version");
    }

    @GetMapping("/api/v1/prompts/{name}/labels/{label}")
    PromptVersion labelled(
            @PathVariable @Name String name,
            @PathVariable @Name String label,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return prompts.labelled(name, label, principal);
    }

    @PutMapping("/api/v1/prompts/{name}/labels/{label}")
    PromptVersion setLabel(
            @PathVariable @Name String name,
            @PathVariable @Name String label,
            @Valid @RequestBody PromptLabel target,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return prompts.setLabel(name, label, target.version(), principal);
    }
}

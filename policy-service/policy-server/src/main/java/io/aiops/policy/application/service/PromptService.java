package io.aiops.policy.application.service;

import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.PromptTemplates;
import io.aiops.policy.api.PromptVersion;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.PromptUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.prompt.StoredPrompt;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;

/**
 * The prompt registry. A put stores the next version unless the latest says the same (then it is returned, and the
 * labels given move to it); a version is never changed (a database trigger refuses it too). A prompt belongs to the
 * project of its first version; creating versions and moving labels are audited policy changes.
 */
public class PromptService implements PromptUseCase {

    private final PromptStore prompts;
    private final AuditRecorder audit;
    private final Clock clock;

    public PromptService(PromptStore prompts, AuditRecorder audit, Clock clock) {
        this.prompts = prompts;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    @Transactional
    public PutResult putPrompt(String name, PromptDefinition definition, ApiPrincipal actor) {
        if (definition == null) {
            throw RequestRejected.invalid(null, "a prompt definition is required");
        }
        CatalogService.requireSame("name", name, definition.name());
        String project = blankToNull(definition.project());
        ProjectAccess.require(actor, project, "project");
        prompts.lock(name);
        StoredPrompt latest = prompts.latest(name).orElse(null);
        if (latest != null && !java.util.Objects.equals(latest.project(), project)) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "project",
                    "prompt " + name + " belongs to "
                            + (latest.project() == null ? "every project" : "project " + latest.project())
                            + "; a version cannot move it");
        }
        String system = encode(blankToNull(definition.systemPrompt()));
        String template = encode(definition.template());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        StoredPrompt version = latest;
        boolean created = false;
        if (latest == null || !latest.saysTheSame(project, system, template)) {
            version = new StoredPrompt(
                    name, latest == null ? 1 : latest.version() + 1, project, system, template, now, actor.name());
            prompts.insert(version);
            created = true;
        }
        for (String label : definition.labels()) {
            prompts.setLabel(name, label, version.version(), now);
        }
        PromptVersion shown = shown(version);
        if (created || !definition.labels().isEmpty()) {
            audit.policyChange(
                    actor,
                    project,
                    "prompt",
                    shown.ref(),
                    latest == null || created ? null : shown(latest),
                    shown,
                    now);
        }
        return new PutResult(shown, created);
    }

    @Override
    @Transactional(readOnly = true)
    public PromptVersion latest(String name, ApiPrincipal actor) {
        return readable(prompts.latest(name).orElseThrow(() -> RequestRejected.notFound("no prompt " + name)), actor);
    }

    @Override
    @Transactional(readOnly = true)
    public PromptVersion version(String name, int version, ApiPrincipal actor) {
        return readable(
                prompts.version(name, version)
                        .orElseThrow(() -> RequestRejected.notFound("prompt " + name + " has no version " + version)),
                actor);
    }

    @Override
    @Transactional(readOnly = true)
    public PromptVersion labelled(String name, String label, ApiPrincipal actor) {
        int version = prompts.labelled(name, label)
                .orElseThrow(() -> RequestRejected.notFound("prompt " + name + " has no label " + label));
        return version(name, version, actor);
    }

    @Override
    @Transactional(readOnly = true)
    public List<PromptVersion> versions(String name, ApiPrincipal actor) {
        List<StoredPrompt> all = prompts.versions(name);
        if (all.isEmpty()) {
            throw RequestRejected.notFound("no prompt " + name);
        }
        ProjectAccess.require(actor, all.getFirst().project(), "name");
        Map<Integer, List<String>> labels = prompts.labels(name);
        return all.stream().map(p -> shown(p, labels)).toList();
    }

    @Override
    @Transactional
    public PromptVersion setLabel(String name, String label, int version, ApiPrincipal actor) {
        StoredPrompt target = prompts.version(name, version)
                .orElseThrow(() -> RequestRejected.notFound("prompt " + name + " has no version " + version));
        ProjectAccess.require(actor, target.project(), "name");
        Integer before = prompts.labelled(name, label).orElse(null);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        prompts.setLabel(name, label, version, now);
        audit.policyChange(
                actor,
                target.project(),
                "prompt-label",
                name + "@" + label,
                before == null ? null : Map.of("version", before),
                Map.of("version", version),
                now);
        return shown(target);
    }

    /** The version as the API shows it, after checking the actor may see its project. */
    private PromptVersion readable(StoredPrompt prompt, ApiPrincipal actor) {
        ProjectAccess.require(actor, prompt.project(), "name");
        return shown(prompt);
    }

    private PromptVersion shown(StoredPrompt p) {
        return shown(p, prompts.labels(p.name()));
    }

    private static PromptVersion shown(StoredPrompt p, Map<Integer, List<String>> labels) {
        String template = StoredText.decode(p.template());
        return new PromptVersion(
                p.name(),
                p.version(),
                p.project(),
                p.systemPrompt() == null ? null : StoredText.decode(p.systemPrompt()),
                template,
                PromptTemplates.variables(template),
                labels.getOrDefault(p.version(), List.of()),
                p.createdAt(),
                p.createdBy());
    }

    private static String encode(String text) {
        return text == null ? null : StoredText.encode(text);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

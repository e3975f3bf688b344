package io.aiops.policy.application.service;

import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.JudgeSettingsUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.JudgeSettingsStore;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.quality.JudgePolicy;
import java.time.Clock;
import java.util.Optional;
import org.springframework.transaction.annotation.Transactional;

/**
 * LLM-as-judge settings: the judge model must be in the catalog (its calls are priced like any other), changes are
 * audited, and a workflow's own settings win over its project's.
 */
public class JudgeSettingsService implements JudgeSettingsUseCase {

    private final JudgeSettingsStore store;
    private final CatalogStore catalog;
    private final AuditRecorder audit;
    private final Clock clock;

    public JudgeSettingsService(JudgeSettingsStore store, CatalogStore catalog, AuditRecorder audit, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    @Transactional
    public JudgeSettings put(String project, String bpmnProcessId, JudgeSettings settings, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        if (settings.sampleRate().stripTrailingZeros().scale() > 4) {
            throw RequestRejected.invalid("sampleRate", "sampleRate has at most 4 decimals, e.g. 0.05 for 5 %");
        }
        if (catalog.find(settings.provider(), settings.model()).isEmpty()) {
            throw new RequestRejected(
                    RequestRejected.Kind.UNKNOWN_MODEL,
                    "model",
                    "model " + settings.provider() + "/" + settings.model() + " is not in the catalog");
        }
        JudgeSettings before = stored(project, bpmnProcessId).orElse(null);
        store.put(
                project,
                bpmnProcessId,
                new JudgePolicy(
                        settings.sampleRate(),
                        settings.provider(),
                        settings.model(),
                        StoredText.encode(settings.rubric()),
                        StoredText.encode(settings.criteria()),
                        settings.scoreName(),
                        settings.maxOutputTokens()),
                clock.instant());
        JudgeSettings after = stored(project, bpmnProcessId).orElseThrow();
        audit.policyChange(
                actor,
                project,
                "judge",
                bpmnProcessId == null ? project : project + "/" + bpmnProcessId,
                before,
                after,
                clock.instant());
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public JudgeSettings get(String project, String bpmnProcessId, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        return stored(project, bpmnProcessId)
                .orElseThrow(() -> RequestRejected.notFound("no judge set for "
                        + (bpmnProcessId == null ? "project " + project : "workflow " + bpmnProcessId)));
    }

    @Override
    @Transactional(readOnly = true)
    public JudgeSettings effective(String project, String bpmnProcessId, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        Optional<JudgeSettings> own = bpmnProcessId == null ? Optional.empty() : stored(project, bpmnProcessId);
        return own.or(() -> stored(project, null))
                .orElseThrow(() -> RequestRejected.notFound("no judge for project " + project));
    }

    private Optional<JudgeSettings> stored(String project, String bpmnProcessId) {
        return store.find(project, bpmnProcessId)
                .map(p -> new JudgeSettings(
                        p.sampleRate().stripTrailingZeros(),
                        p.provider(),
                        p.model(),
                        StoredText.decode(p.rubric()),
                        StoredText.decode(p.criteria()),
                        p.scoreName(),
                        p.maxOutputTokens()));
    }
}

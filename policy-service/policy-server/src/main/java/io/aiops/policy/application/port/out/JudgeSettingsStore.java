package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.quality.JudgePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Judge settings per project, and per workflow ({@code bpmnProcessId} null: the project as a whole). */
public interface JudgeSettingsStore {

    void put(String project, String bpmnProcessId, JudgePolicy policy, Instant now);

    Optional<JudgePolicy> find(String project, String bpmnProcessId);

    /** Every project and workflow with judge settings of its own, by project and workflow. */
    List<SettingsOwner> owners();
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.RedactionSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-project settings: redaction (per project and per workflow), retention, and what workers do when the policy
 * service is unavailable.
 */
public interface ProjectSettingsStore {

    /** The workflow's own setting if it has one, else the project's. */
    Optional<RedactionSettings> redaction(String project, String bpmnProcessId);

    /** The setting stored for exactly this project ({@code bpmnProcessId} null) or workflow. */
    Optional<RedactionSettings> ownRedaction(String project, String bpmnProcessId);

    void putRedaction(String project, String bpmnProcessId, RedactionSettings settings, Instant now);

    /** Every project and workflow with redaction settings of its own, by project and workflow. */
    List<SettingsOwner> redactionOwners();

    Optional<Integer> retentionDays(String project);

    void putRetention(String project, int days, Instant now);

    /** The project's own setting; empty means the default, RETRY. */
    Optional<OnPolicyUnavailable> onPolicyUnavailable(String project);

    void putOnPolicyUnavailable(String project, OnPolicyUnavailable mode, Instant now);

    /** Every project with an onPolicyUnavailable setting of its own, in order. */
    List<String> policyUnavailableProjects();

    /** A rotation of a project's alert-signing key: its generation and when it was made. */
    record SigningGeneration(int generation, Instant rotatedAt) {}

    /** The project's ({@code null}: organisation-wide) alert-signing key generation; empty: generation 0. */
    Optional<SigningGeneration> signingGeneration(String project);

    /** Moves the project's alert-signing key to the next generation and returns it (rows locked in the transaction). */
    SigningGeneration rotateSigningKey(String project, Instant now);

    /** Every project with a retention setting, and its days. */
    Map<String, Integer> retentionByProject();

    /** The named secret, created from {@code candidate} if it does not exist yet (the first writer wins). */
    byte[] secret(String name, byte[] candidate, Instant now);

    /** Removes request/response text of the project's calls created before the cutoff; returns how many calls. */
    int purgeCallTexts(String project, Instant cutoff);
}

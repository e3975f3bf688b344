package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.port.out.SettingsOwner;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Project settings in maps: a workflow's own redaction wins over its project's; the first secret written under a name
 * is the one everybody gets. Purging call texts touches the ledger and is not faked.
 */
public final class InMemoryProjectSettingsStore implements ProjectSettingsStore {

    private final Map<List<String>, RedactionSettings> redaction = new HashMap<>();
    private final Map<String, Integer> retention = new TreeMap<>();
    private final Map<String, OnPolicyUnavailable> onPolicyUnavailable = new HashMap<>();
    private final Map<String, SigningGeneration> signing = new HashMap<>();
    private final Map<String, byte[]> secrets = new HashMap<>();

    @Override
    public Optional<RedactionSettings> redaction(String project, String bpmnProcessId) {
        return ownRedaction(project, bpmnProcessId).or(() -> ownRedaction(project, null));
    }

    @Override
    public Optional<RedactionSettings> ownRedaction(String project, String bpmnProcessId) {
        return Optional.ofNullable(redaction.get(Arrays.asList(project, bpmnProcessId)));
    }

    @Override
    public void putRedaction(String project, String bpmnProcessId, RedactionSettings settings, Instant now) {
        redaction.put(Arrays.asList(project, bpmnProcessId), settings);
    }

    @Override
    public List<SettingsOwner> redactionOwners() {
        return redaction.keySet().stream()
                .map(key -> new SettingsOwner(key.get(0), key.get(1)))
                .sorted(Comparator.comparing(SettingsOwner::project)
                        .thenComparing(SettingsOwner::bpmnProcessId, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    @Override
    public List<String> policyUnavailableProjects() {
        return onPolicyUnavailable.keySet().stream().sorted().toList();
    }

    @Override
    public Optional<Integer> retentionDays(String project) {
        return Optional.ofNullable(retention.get(project));
    }

    @Override
    public void putRetention(String project, int days, Instant now) {
        retention.put(project, days);
    }

    @Override
    public Optional<OnPolicyUnavailable> onPolicyUnavailable(String project) {
        return Optional.ofNullable(onPolicyUnavailable.get(project));
    }

    @Override
    public void putOnPolicyUnavailable(String project, OnPolicyUnavailable mode, Instant now) {
        onPolicyUnavailable.put(project, mode);
    }

    @Override
    public Optional<SigningGeneration> signingGeneration(String project) {
        return Optional.ofNullable(signing.get(project));
    }

    @Override
    public SigningGeneration rotateSigningKey(String project, Instant now) {
        int next = signingGeneration(project).map(SigningGeneration::generation).orElse(0) + 1;
        SigningGeneration rotated = new SigningGeneration(next, now);
        signing.put(project, rotated);
        return rotated;
    }

    @Override
    public Map<String, Integer> retentionByProject() {
        return Map.copyOf(retention);
    }

    @Override
    public byte[] secret(String name, byte[] candidate, Instant now) {
        return secrets.computeIfAbsent(name, n -> candidate.clone()).clone();
    }

    @Override
    public int purgeCallTexts(String project, Instant cutoff) {
        throw new UnsupportedOperationException("purging call texts is not faked: it updates the ledger");
    }
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.prompt.StoredPrompt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The prompt registry: immutable versions per name, and labels pointing at them. */
public interface PromptStore {

    /** Serialises version creation for one name until the transaction ends. */
    void lock(String name);

    Optional<StoredPrompt> latest(String name);

    /** The name of every prompt, in order. */
    List<String> names();

    Optional<StoredPrompt> version(String name, int version);

    /** Every version, oldest first. */
    List<StoredPrompt> versions(String name);

    /** The version the label points at. */
    Optional<Integer> labelled(String name, String label);

    /** The labels of the prompt by the version they point at. */
    Map<Integer, List<String>> labels(String name);

    /** Writes a new version (never an existing one). */
    void insert(StoredPrompt prompt);

    /** Points the label at the version. */
    void setLabel(String name, String label, int version, Instant now);
}

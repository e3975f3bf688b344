package io.aiops.connector.pipeline;

import io.aiops.connector.model.AiTaskRequest;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PromptTemplates;
import io.aiops.policy.api.PromptVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an AI task's prompt reference into the texts sent to the model: the registry's version (fetched from the policy
 * service; a version named by number is kept for good, a name or label is asked for again after {@link #LABEL_TTL}, so
 * a label moved to a new version reaches the workers within that time), its template filled with the task's prompt
 * variables. A task without a reference keeps its own prompt.
 */
final class PromptResolver {

    /** How long a name or label stays resolved to the version it pointed at. */
    static final Duration LABEL_TTL = Duration.ofSeconds(30);

    /** References kept at most; the cache starts over beyond (a miss costs one request). */
    static final int MAX_CACHED = 1_000;

    /** The registered prompt version a call's texts came from; both null when none. */
    record PromptUse(String name, Integer version) {
        static final PromptUse NONE = new PromptUse(null, null);
    }

    /** The task with the texts to send, and where they came from. */
    record Resolved(AiTaskRequest request, PromptUse use) {}

    private record Cached(PromptVersion version, Instant until) {}

    private final PolicyClient policy;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    PromptResolver(PolicyClient policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @throws AiTaskBpmnError {@code AI_PROMPT_NOT_FOUND} for a reference the registry does not know,
     *     {@code AI_PROMPT_INVALID} when the task's variables lack one the template needs
     * @throws AiTaskRetryableException when the policy service cannot be asked
     * @throws IllegalArgumentException when the task gives neither a prompt nor a reference, or both
     */
    Resolved resolve(AiTaskRequest request) {
        String ref = blankToNull(request.promptRef());
        if (ref == null) {
            if (blankToNull(request.prompt()) == null) {
                throw new IllegalArgumentException("the AI task needs a prompt or a prompt reference (promptRef)");
            }
            return new Resolved(request, PromptUse.NONE);
        }
        if (blankToNull(request.prompt()) != null) {
            throw new IllegalArgumentException(
                    "the AI task gives both a prompt and a prompt reference (" + ref + "); leave one of them empty");
        }
        PromptVersion version = version(ref);
        String text;
        try {
            text = PromptTemplates.render(version.template(), request.promptVariables());
        } catch (IllegalArgumentException e) {
            throw new AiTaskBpmnError(
                    AiTaskBpmnError.PROMPT_INVALID, "Prompt " + version.ref() + ": " + e.getMessage());
        }
        return new Resolved(
                request.withPrompt(version.systemPrompt(), text), new PromptUse(version.name(), version.version()));
    }

    private PromptVersion version(String ref) {
        Instant now = clock.instant();
        Cached cached = cache.get(ref);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.version();
        }
        PromptVersion version;
        try {
            version = policy.prompt(ref);
        } catch (PolicyServiceException e) {
            if (e.status() == 404) {
                throw new AiTaskBpmnError(
                        AiTaskBpmnError.PROMPT_NOT_FOUND, "The prompt registry has no " + ref + ": " + e.getMessage());
            }
            if (e.isTransient()) {
                throw new AiTaskRetryableException(
                        AiTaskRetryableException.POLICY_SERVICE_UNAVAILABLE,
                        "Prompt " + ref + " could not be fetched from the policy service, the job will be retried: "
                                + e.getMessage(),
                        null,
                        e);
            }
            throw e;
        }
        boolean pinned = ref.endsWith("@" + version.version());
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(ref, new Cached(version, pinned ? Instant.MAX : now.plus(LABEL_TTL)));
        return version;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

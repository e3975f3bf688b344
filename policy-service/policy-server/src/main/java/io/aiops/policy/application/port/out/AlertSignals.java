package io.aiops.policy.application.port.out;

import io.aiops.core.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The ledger figures the scheduled alert rules look at. A null {@code project} or {@code bpmnProcessId} means every
 * project or workflow; results are grouped by what the rule reports on.
 */
public interface AlertSignals {

    /** Spend of one project (and workflow, when asked for one) in a time range. */
    record ScopeSpend(String project, String bpmnProcessId, BigDecimal costUsd) {}

    /**
     * Attempts and failed attempts of one group (project, or the whole filtered scope when {@code project} is null).
     * {@code failed} counts attempts the provider failed; an answer the worker's quality gate turned away (error class
     * {@code CallOutcome.QUALITY_GATE}) is an answer, watched by QUALITY_DROP, and counts as an attempt but not as
     * failed.
     */
    record AttemptCounts(String project, long attempts, long failed) {}

    /** A (workflow, model) pair and the first time the workflow used the model. */
    record FirstUse(String project, String bpmnProcessId, String provider, String model, Instant firstUsedAt) {}

    /** How many calls of a workflow a model served in a range. */
    record ModelCalls(String project, String bpmnProcessId, String provider, String model, long calls) {}

    /**
     * Token usage of one model's attempts for one workflow, summed over attempts that a price change prices alike: the
     * same service tier, and on the same side of each tier threshold asked about ({@code aboveThresholds}).
     */
    record UsageGroup(
            String project, String bpmnProcessId, long attempts, TokenUsage usage, Set<Long> aboveThresholds) {}

    /**
     * The usage of a model's attempts of calls in [from, to), per project, workflow, service tier and side of each of
     * {@code thresholds} (input tokens above it or not).
     */
    List<UsageGroup> usage(String provider, String model, Collection<Long> thresholds, Instant from, Instant to);

    /** Spend per project (per project × workflow when {@code bpmnProcessId} is set) of calls in [from, to). */
    List<ScopeSpend> spend(String project, String bpmnProcessId, Instant from, Instant to);

    /**
     * Attempts of calls in [from, to): per project when neither provider nor model narrows them, else one group over
     * the matching attempts (its {@code project} is the filter's).
     */
    List<AttemptCounts> attempts(String project, String provider, String model, Instant from, Instant to);

    /** (workflow, model) pairs whose first attempt anywhere in the ledger is at or after {@code since}. */
    List<FirstUse> firstUsesSince(String project, String bpmnProcessId, Instant since);

    /** Calls per workflow and model (the model that answered, or the last one tried) in [from, to). */
    List<ModelCalls> modelCalls(String project, String bpmnProcessId, Instant from, Instant to);

    /** Calls and input tokens of one prompt version in one (workflow, element). */
    record PromptUsage(
            String project,
            String bpmnProcessId,
            String elementId,
            String promptName,
            int promptVersion,
            long calls,
            long inputTokens) {}

    /** Calls built from registered prompts in [from, to), per project, workflow, element and prompt version. */
    List<PromptUsage> promptUsage(String project, String bpmnProcessId, Instant from, Instant to);

    /** How many boolean scores of one name a (workflow, element, model) got, and how many of them passed. */
    record PassCounts(
            String project,
            String bpmnProcessId,
            String elementId,
            String provider,
            String model,
            String scoreName,
            long scores,
            long passed) {}

    /**
     * Boolean scores of calls made in [from, to), per project, workflow, element, model (the scored attempt's; the
     * call's for a score of the whole call) and score name; null filters match everything.
     */
    List<PassCounts> passCounts(
            String project,
            String bpmnProcessId,
            String provider,
            String model,
            String scoreName,
            Instant from,
            Instant to);
}

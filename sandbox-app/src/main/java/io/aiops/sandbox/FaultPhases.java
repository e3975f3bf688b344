package io.aiops.sandbox;

import io.aiops.policy.api.AlertRule;
import io.aiops.simulator.FaultRule;
import java.time.Duration;
import java.util.List;

/**
 * How a sandbox run's samples are split around its {@code --faults}. Quality faults (an answer that comes back but is
 * wrong: {@code off-schema}, {@code refusal}, ...) switch on only after a <em>baseline phase</em>: the first
 * {@code baselineInstances} run without them, so the sandbox's QUALITY_DROP rule has clean scores to compare the
 * faulted ones with, as a drop in production has the days before it. Transport faults ({@code 503}, {@code timeout},
 * ...) are on from the first request: what they show (retries, failover, error rates against a fixed threshold) needs
 * no baseline, and a "next N requests" fault means the run's first requests.
 *
 * @param instances sample instances in all
 * @param baselineInstances of them, the ones run before {@code afterBaseline} switches on (0 without quality faults)
 * @param fromStart the faults active for the whole run
 * @param afterBaseline the faults switched on once the baseline instances have ended
 */
record FaultPhases(int instances, int baselineInstances, List<FaultRule> fromStart, List<FaultRule> afterBaseline) {

    /** The sample instances of a run without quality faults, when {@code --instances} is not given. */
    static final int DEFAULT_INSTANCES = 10;

    /** The id of the sandbox project's QUALITY_DROP rule. */
    static final String QUALITY_DROP_RULE = "sandbox-quality-drop";

    /**
     * The QUALITY_DROP rule's recent window: the shortest the rule takes. A run's faulted phase fits in it, and the
     * sandbox waits until the window holds that phase alone, the baseline phase before it.
     */
    static final Duration QUALITY_DROP_WINDOW = Duration.ofMinutes(1);

    /**
     * The QUALITY_DROP rule's {@code minCalls}, the rule's own default: fewer scored answers of a workflow element and
     * model on either side never fire.
     */
    static final int QUALITY_DROP_MIN_SCORED = 20;

    /**
     * Scored answers per workflow in each phase when {@code --instances} is not given: more than the rule's minimum,
     * so that a 40 % fault is found with near certainty. Against a clean baseline of 30, the one-sided 1 % test needs
     * 5 failed answers of 30 (z = -2.34), and a 40 % fault gives fewer than 5 in 0.15 % of runs; at 20 answers a side
     * it would miss one run in 20.
     */
    static final int ANSWERS_PER_WORKFLOW_AND_PHASE = 30;

    FaultPhases {
        fromStart = List.copyOf(fromStart);
        afterBaseline = List.copyOf(afterBaseline);
        if (baselineInstances < 0 || baselineInstances > instances) {
            throw new IllegalArgumentException("baseline instances must be from 0 to " + instances);
        }
    }

    /**
     * The phases of a run.
     *
     * @param instances {@code --instances}; null: {@value #DEFAULT_INSTANCES}, or with a quality fault two phases of
     *     {@value #ANSWERS_PER_WORKFLOW_AND_PHASE} instances of each of the {@code workflows}
     * @param baseline {@code --baseline}; null: half the instances when there is a quality fault, else 0
     * @param faults the parsed {@code --faults}
     * @param workflows the workflows the samples take turns over
     * @throws IllegalArgumentException naming the option that does not fit
     */
    static FaultPhases plan(Integer instances, Integer baseline, List<FaultRule> faults, int workflows) {
        List<FaultRule> quality =
                faults.stream().filter(f -> f.kind().inAnswer()).toList();
        List<FaultRule> transport =
                faults.stream().filter(f -> !f.kind().inAnswer()).toList();
        int total = instances != null
                ? instances
                : quality.isEmpty() ? DEFAULT_INSTANCES : 2 * ANSWERS_PER_WORKFLOW_AND_PHASE * Math.max(1, workflows);
        if (total < 0) {
            throw new IllegalArgumentException("--instances must be >= 0");
        }
        if (baseline != null && quality.isEmpty()) {
            throw new IllegalArgumentException(
                    "--baseline needs a quality fault in --faults (refusal, invalid-json, off-schema, wrong-category"
                            + " or truncate): transport faults are on from the first request");
        }
        int before = baseline != null ? baseline : quality.isEmpty() ? 0 : total / 2;
        if (before < 0 || before > total) {
            throw new IllegalArgumentException(
                    "--baseline must be from 0 to the " + total + " instances, not " + before);
        }
        return new FaultPhases(total, before, transport, quality);
    }

    /** True when quality faults switch on after the baseline phase. */
    boolean hasQualityPhase() {
        return !afterBaseline.isEmpty();
    }

    /** Instances run with the quality faults on. */
    int faultedInstances() {
        return instances - baselineInstances;
    }

    /**
     * Why the QUALITY_DROP rule cannot fire in this run (too few samples of some workflow on one side), or null when it
     * can. The samples take turns over the {@code workflows}, so a phase of n instances has n / workflows of the rarest.
     */
    String tooFewSamples(int workflows) {
        if (!hasQualityPhase() || workflows == 0) {
            return null;
        }
        int fewestBefore = baselineInstances / workflows;
        int fewestAfter = faultedInstances() / workflows;
        if (fewestBefore >= QUALITY_DROP_MIN_SCORED && fewestAfter >= QUALITY_DROP_MIN_SCORED) {
            return null;
        }
        return "QUALITY_DROP needs " + QUALITY_DROP_MIN_SCORED + " scored answers of a workflow before and after the"
                + " fault switches on; " + baselineInstances + " baseline and " + faultedInstances()
                + " faulted instances over " + workflows + " workflows give " + fewestBefore + " and " + fewestAfter
                + " (leave out --instances and --baseline for a run that has enough)";
    }

    /**
     * The sandbox project's QUALITY_DROP rule: the one-minute window against the 7 days before it, the rule's default
     * minimum of scored answers and drop threshold, no delivery channel (the sandbox lists what fired).
     */
    static AlertRule qualityDropRule() {
        return new AlertRule(
                QUALITY_DROP_RULE,
                LocalStack.SAMPLE_PROJECT,
                AlertRule.AlertKind.QUALITY_DROP,
                null,
                null,
                null,
                null,
                null,
                null,
                QUALITY_DROP_WINDOW.toString(),
                null,
                QUALITY_DROP_MIN_SCORED,
                null,
                null,
                null);
    }
}

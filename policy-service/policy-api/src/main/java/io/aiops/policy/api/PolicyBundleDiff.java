package io.aiops.policy.api;

import java.util.List;
import java.util.UUID;

/**
 * What a policy bundle does, or did, to the live policies: each object of it created, changed (naming the fields) or
 * unchanged; with {@code prune}, each live object the bundle does not list removed, or kept where it cannot be removed.
 * {@code changeSet} names the audit entries of an applied bundle (null for a dry run or when nothing changed).
 */
public record PolicyBundleDiff(
        boolean dryRun,
        UUID changeSet,
        int created,
        int changed,
        int unchanged,
        int removed,
        int kept,
        List<ObjectDiff> objects) {

    public PolicyBundleDiff {
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /**
     * One object: its kind ({@code model-price}, {@code routing-policy}, {@code budget}, {@code alert-rule},
     * {@code redaction}, {@code workflow-redaction}, {@code retention}, {@code policy-unavailable}, {@code judge},
     * {@code workflow-judge}, {@code prompt}), its id, what happens to it and, when changed, the fields that differ.
     * {@code note} says why an object is kept.
     */
    public record ObjectDiff(String kind, String id, Action action, List<String> fields, String note) {

        public ObjectDiff {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }
    }

    public enum Action {
        CREATED,
        CHANGED,
        UNCHANGED,
        /** Not in the bundle and removed ({@code prune=true}). */
        REMOVED,
        /** Not in the bundle and kept although {@code prune=true}: objects of its kind are never removed. */
        KEPT
    }
}

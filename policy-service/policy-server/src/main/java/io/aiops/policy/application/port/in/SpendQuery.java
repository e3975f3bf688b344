package io.aiops.policy.application.port.in;

import io.aiops.policy.api.SpendReport;
import java.util.List;

/** Answers "how much did we spend, and on what" from the call ledger. */
public interface SpendQuery {

    /**
     * Spend between {@code from} and {@code to} (ISO instants or dates; default: the last 7 days up to now), grouped by
     * the comma-separated {@code groupBy} dimensions, over calls whose decision carries every {@code tags} entry
     * ({@code key:value}). A key limited to projects sees only their spend.
     */
    SpendReport spend(String from, String to, String groupBy, List<String> tags, ApiPrincipal actor);
}

package io.aiops.policy.api;

import java.util.List;

/**
 * What a price-table import did, or would do on a dry run: entries whose price changed (each now has a new price
 * version), entries already at that price, entries left out with the reason (not a text-generation model, no price
 * given, a price class the catalog does not model, ...), and every changed price field with its value before and
 * after ({@code before} null: a model new to the catalog or a class it had no price for).
 */
public record CatalogImportResult(
        List<String> updated, List<String> unchanged, List<String> skipped, boolean dryRun, List<PriceChange> changes) {

    public CatalogImportResult {
        updated = updated == null ? List.of() : List.copyOf(updated);
        unchanged = unchanged == null ? List.of() : List.copyOf(unchanged);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    public CatalogImportResult(List<String> updated, List<String> unchanged, List<String> skipped) {
        this(updated, unchanged, skipped, false, List.of());
    }

    /** One price field of one model that differs between the catalog and the source. */
    public record PriceChange(String model, String field, String before, String after) {}
}

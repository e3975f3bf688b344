package io.aiops.policy.api;

import java.util.List;

/**
 * What a price-table import did: entries whose price changed (each now has a new price version), entries already at
 * that price, and entries left out with the reason (not a text-generation model, no price given, ...).
 */
public record CatalogImportResult(List<String> updated, List<String> unchanged, List<String> skipped) {

  public CatalogImportResult {
    updated = updated == null ? List.of() : List.copyOf(updated);
    unchanged = unchanged == null ? List.of() : List.copyOf(unchanged);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }
}

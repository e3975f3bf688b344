package io.aiops.policy.api;

import io.aiops.policy.api.redaction.RedactionMode;
import java.util.List;

/** The redaction mode of a project or of one workflow of it, with extra patterns masked in REDACTED mode. */
public record RedactionSettings(RedactionMode mode, List<String> customPatterns) {

  public RedactionSettings {
    customPatterns = customPatterns == null ? List.of() : List.copyOf(customPatterns);
  }
}

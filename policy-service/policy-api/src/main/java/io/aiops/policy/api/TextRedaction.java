package io.aiops.policy.api;

import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.api.redaction.TextRedactor;
import java.util.Base64;
import java.util.List;

/**
 * How the caller must treat request and response text before reporting them: the project's (or workflow's) mode,
 * its custom patterns, and the project's mask key (base64) so masks made by the worker equal the server's.
 */
public record TextRedaction(RedactionMode mode, List<String> customPatterns, String maskKey) {

  public TextRedaction {
    customPatterns = customPatterns == null ? List.of() : List.copyOf(customPatterns);
  }

  /** Applies the mode to one text. */
  public String apply(String text) {
    if (mode == null || mode == RedactionMode.FULL || text == null) {
      return text;
    }
    if (mode == RedactionMode.HASH_ONLY) {
      return TextRedactor.hashOnly(text);
    }
    return new TextRedactor(Base64.getDecoder().decode(maskKey), customPatterns).redact(text);
  }
}

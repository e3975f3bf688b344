package io.aiops.policy.api;

import io.aiops.policy.api.redaction.PiiKind;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.api.redaction.TextRedactor;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How the caller must treat request and response text before reporting them: the project's (or workflow's) mode,
 * its custom patterns, the built-in kinds it masks (null: all) and the project's mask key (base64) so masks made by
 * the worker equal the server's. Kinds are names, so a worker older than the server skips a kind it does not know
 * (the server masks it before storing).
 */
public record TextRedaction(RedactionMode mode, List<String> customPatterns, List<String> kinds, String maskKey) {

    public TextRedaction {
        customPatterns = customPatterns == null ? List.of() : List.copyOf(customPatterns);
        kinds = kinds == null ? null : List.copyOf(kinds);
    }

    /** Applies the mode to one text. */
    public String apply(String text) {
        if (mode == null || mode == RedactionMode.FULL || text == null) {
            return text;
        }
        if (mode == RedactionMode.HASH_ONLY) {
            return TextRedactor.hashOnly(text);
        }
        return new TextRedactor(Base64.getDecoder().decode(maskKey), customPatterns, knownKinds()).redact(text);
    }

    /** The kinds this version knows of; null for all. */
    private Set<PiiKind> knownKinds() {
        if (kinds == null) {
            return null;
        }
        Set<PiiKind> known = EnumSet.noneOf(PiiKind.class);
        Arrays.stream(PiiKind.values()).filter(k -> kinds.contains(k.name())).forEach(known::add);
        return known;
    }
}

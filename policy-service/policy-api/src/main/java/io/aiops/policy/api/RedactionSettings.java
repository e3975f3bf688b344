package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_CUSTOM_PATTERNS;
import static io.aiops.policy.api.RequestLimits.MAX_PATTERN_CHARS;

import io.aiops.policy.api.redaction.PiiKind;
import io.aiops.policy.api.redaction.RedactionMode;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;

/**
 * The redaction mode of a project or of one workflow of it, with extra patterns masked in REDACTED mode and the
 * built-in kinds it masks ({@code kinds}: absent or null for every {@link PiiKind}, a list to narrow them, empty for
 * the custom patterns only).
 */
public record RedactionSettings(
        @NotNull RedactionMode mode,

        @Size(max = MAX_CUSTOM_PATTERNS)
        List<
                        @NotEmpty @Size(max = MAX_PATTERN_CHARS)
                        @Pattern(
                                regexp = "[^\\x00\\p{Cs}]*",
                                message = "must not contain NUL or unpaired surrogates (write \\x00 for NUL)")
                        String>
                customPatterns,

        List<@NotNull PiiKind> kinds) {

    public RedactionSettings {
        customPatterns = customPatterns == null ? List.of() : List.copyOf(customPatterns);
        if (kinds != null && kinds.stream().noneMatch(k -> k == null)) {
            EnumSet<PiiKind> distinct = EnumSet.noneOf(PiiKind.class);
            distinct.addAll(kinds);
            kinds = List.copyOf(distinct);
        }
    }

    /** Every built-in kind. */
    public RedactionSettings(RedactionMode mode, List<String> customPatterns) {
        this(mode, customPatterns, null);
    }
}

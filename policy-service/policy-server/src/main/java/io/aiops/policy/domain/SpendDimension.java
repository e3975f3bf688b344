package io.aiops.policy.domain;

import java.util.Locale;
import java.util.Optional;

/** What spend can be grouped by; the names are the values of the {@code groupBy} query parameter. */
public enum SpendDimension {
    PROJECT,
    WORKFLOW,
    PROCESS_DEFINITION,
    ELEMENT,
    MODEL,
    PROVIDER,
    /** The registered prompt version the call's request was built from, as {@code name@version}. */
    PROMPT,
    DAY;

    /** The name callers use: {@code project}, {@code workflow}, {@code processDefinition}, ... */
    public String parameterName() {
        return this == PROCESS_DEFINITION ? "processDefinition" : name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SpendDimension> fromParameter(String name) {
        for (SpendDimension d : values()) {
            if (d.parameterName().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}

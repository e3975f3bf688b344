package io.aiops.policy.api.redaction;

/**
 * One value found in a text: the mask label ({@link PiiKind} name, or {@code CUSTOM1}, ...) and its span
 * [{@code start}, {@code end}).
 */
public record Finding(String label, int start, int end) {

    public Finding {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative span " + start + ".." + end);
        }
    }

    boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}

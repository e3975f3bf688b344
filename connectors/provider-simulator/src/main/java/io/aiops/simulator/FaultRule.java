package io.aiops.simulator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault to inject for the models matching {@code modelPattern} ({@code *} for all, a trailing {@code *} for a
 * prefix, else the exact model name).
 *
 * <p>Spec syntax (CLI {@code --fault} and admin API): {@code <model>:<kind>[x<count>|@<percent>%|@<from>..<until>]},
 * e.g. {@code gpt-4o-mini:503} (always), {@code *:500x2} (the next 2 requests), {@code *:429@50%} (each request with
 * probability 50%, from the simulator's seeded random generator), or
 * {@code *:503@2026-11-26T10:00:00Z..2026-11-26T10:05:00Z} (every request while the simulator's clock is at or after
 * the first instant and before the second).
 */
public record FaultRule(
        String modelPattern, FaultKind kind, Mode mode, int count, double ratePercent, Instant from, Instant until) {

    /** When a matching request gets the fault. */
    public enum Mode {
        ALWAYS,
        NEXT_N,
        RATE,
        WINDOW
    }

    private static final Pattern SPEC = Pattern.compile("^(.+):([A-Za-z0-9_-]+?)(?:x(\\d+)|@(\\d+(?:\\.\\d+)?)%)?$");
    private static final Pattern WINDOW_SPEC = Pattern.compile("^(.+)@([^@]+)\\.\\.([^@.][^@]*)$");

    public FaultRule {
        Objects.requireNonNull(modelPattern, "modelPattern");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mode, "mode");
        if (modelPattern.isBlank()) {
            throw new IllegalArgumentException("fault model pattern must not be blank");
        }
        if (mode == Mode.NEXT_N && count < 1) {
            throw new IllegalArgumentException("a 'next N requests' fault needs N >= 1");
        }
        if (mode == Mode.RATE && (ratePercent < 0 || ratePercent > 100)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 100 percent");
        }
        if (mode == Mode.WINDOW && (from == null || until == null || !from.isBefore(until))) {
            throw new IllegalArgumentException("a time-window fault needs from < until");
        }
    }

    /** The same rule with the given mode parameters; for rules without a time window. */
    public FaultRule(String modelPattern, FaultKind kind, Mode mode, int count, double ratePercent) {
        this(modelPattern, kind, mode, count, ratePercent, null, null);
    }

    public static FaultRule always(String modelPattern, FaultKind kind) {
        return new FaultRule(modelPattern, kind, Mode.ALWAYS, 0, 0);
    }

    public static FaultRule next(String modelPattern, FaultKind kind, int requests) {
        return new FaultRule(modelPattern, kind, Mode.NEXT_N, requests, 0);
    }

    public static FaultRule atRate(String modelPattern, FaultKind kind, double percent) {
        return new FaultRule(modelPattern, kind, Mode.RATE, 0, percent);
    }

    /** Every matching request from {@code from} (inclusive) until {@code until} (exclusive) of the simulator's clock. */
    public static FaultRule during(String modelPattern, FaultKind kind, Instant from, Instant until) {
        return new FaultRule(modelPattern, kind, Mode.WINDOW, 0, 0, from, until);
    }

    /** Parses the spec syntax described on the type. */
    public static FaultRule parse(String spec) {
        String trimmed = spec == null ? "" : spec.trim();
        Matcher window = WINDOW_SPEC.matcher(trimmed);
        if (window.matches()) {
            FaultRule base = parse(window.group(1));
            if (base.mode() != Mode.ALWAYS) {
                throw new IllegalArgumentException(
                        "bad fault spec '" + spec + "': a time window takes no count or rate");
            }
            try {
                return during(
                        base.modelPattern(),
                        base.kind(),
                        Instant.parse(window.group(2).trim()),
                        Instant.parse(window.group(3).trim()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "bad fault spec '" + spec
                                + "': a time window is <from>..<until> in ISO-8601 UTC, e.g. 2026-11-26T10:00:00Z..2026-11-26T10:05:00Z");
            }
        }
        Matcher m = SPEC.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad fault spec '" + spec
                    + "': expected <model>:<kind>[x<count>|@<percent>%|@<from>..<until>], e.g. *:429@50%");
        }
        FaultKind kind = FaultKind.fromToken(m.group(2));
        if (m.group(3) != null) {
            return next(m.group(1), kind, Integer.parseInt(m.group(3)));
        }
        if (m.group(4) != null) {
            return atRate(m.group(1), kind, Double.parseDouble(m.group(4)));
        }
        return always(m.group(1), kind);
    }

    /** True when this rule applies to requests for {@code model}. */
    public boolean matches(String model) {
        if (modelPattern.equals("*")) {
            return true;
        }
        if (modelPattern.endsWith("*")) {
            return model.startsWith(modelPattern.substring(0, modelPattern.length() - 1));
        }
        return modelPattern.equals(model);
    }

    /** True when a time-window rule's window contains {@code now}; other rules are not limited in time. */
    public boolean activeAt(Instant now) {
        return mode != Mode.WINDOW || (!now.isBefore(from) && now.isBefore(until));
    }

    /** The spec string that parses back to this rule. */
    public String spec() {
        String base = modelPattern + ":" + kind.token();
        return switch (mode) {
            case ALWAYS -> base;
            case NEXT_N -> base + "x" + count;
            case RATE ->
                base + "@"
                        + (ratePercent == Math.rint(ratePercent)
                                ? String.valueOf((long) ratePercent)
                                : String.valueOf(ratePercent))
                        + "%";
            case WINDOW -> base + "@" + from + ".." + until;
        };
    }
}

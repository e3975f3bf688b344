package io.aiops.policy.api;

/** The size and range limits the policy service enforces on every request, shared by its Bean Validation rules. */
public final class RequestLimits {

    /** Longest identifier or name accepted (project, process, element, task kind, provider, model, tag). */
    public static final int MAX_NAME = 256;

    /** Most tags per decision request. */
    public static final int MAX_TAGS = 50;

    /** Most attempts per call outcome. */
    public static final int MAX_ATTEMPTS = 100;

    /** Most quality scores per call outcome. */
    public static final int MAX_SCORES = 50;

    /** Most {@link Score}s per call outcome: every rule check of every answer of a full failover chain fits. */
    public static final int MAX_OUTCOME_SCORES = 200;

    /** Longest request or response text accepted, in characters. */
    public static final int MAX_TEXT_CHARS = 200_000;

    /** Largest token count of one attempt (10^12); larger counts are typing errors, not usage. */
    public static final long MAX_TOKENS = 1_000_000_000_000L;

    /** Longest latency of one attempt accepted, in milliseconds (one day). */
    public static final long MAX_LATENCY_MS = 86_400_000L;

    /** Largest alert threshold of a budget, in percent of its limit (alerts on 10x overspend still make sense). */
    public static final int MAX_ALERT_THRESHOLD = 1000;

    /** Most alert thresholds per budget. */
    public static final int MAX_ALERT_THRESHOLDS = 20;

    /** Most service tiers priced apart per model. */
    public static final int MAX_SERVICE_TIERS = 10;

    /** Most candidates in a routing policy's failover chain. */
    public static final int MAX_CANDIDATES = 20;

    /** Most projects an API key may be limited to. */
    public static final int MAX_KEY_PROJECTS = 100;

    /** Most custom redaction patterns per project or workflow. */
    public static final int MAX_CUSTOM_PATTERNS = 50;

    /** Longest custom redaction pattern, in characters. */
    public static final int MAX_PATTERN_CHARS = 1000;

    /** Longest retention accepted, in days (a hundred years). */
    public static final int MAX_RETENTION_DAYS = 36_500;

    private static final java.util.regex.Pattern PRINTABLE = java.util.regex.Pattern.compile(Name.PRINTABLE);

    /** What {@link Name} checks besides the length: no control characters and no unpaired surrogates. */
    public static boolean printable(String name) {
        return name == null || PRINTABLE.matcher(name).matches();
    }

    private RequestLimits() {}
}

package io.aiops.policy.api.redaction;

/** How request and response text of AI calls is kept in the ledger and the audit trail. */
public enum RedactionMode {
    /** The text as sent and received. */
    FULL,
    /** Personal data and secrets replaced by stable masks ({@code <EMAIL:3fa1c2d9>}); the rest kept. */
    REDACTED,
    /** Only the SHA-256 and the length of the text. */
    HASH_ONLY;

    /** Whether the text must be transformed before it leaves the worker. */
    public boolean transformsText() {
        return this != FULL;
    }
}

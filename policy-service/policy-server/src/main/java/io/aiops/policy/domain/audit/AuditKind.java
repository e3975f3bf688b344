package io.aiops.policy.domain.audit;

/** What an audit entry records. */
public enum AuditKind {
    /** One attempt of an AI call, written with the call's outcome. */
    AI_CALL_ATTEMPT,
    /** A change of a model price, budget, routing policy, API key or project setting: who, what, before and after. */
    POLICY_CHANGE,
    /** Someone read a secret (a project's alert-signing key): who, which, when; never the secret. */
    SECRET_READ,
    /** Feedback on a call (a person's or a later workflow step's scores): who, which call, what they said. */
    CALL_FEEDBACK,
    /** A retention purge removed payloads of earlier entries of this chain; the payload says which. */
    RETENTION_PURGE
}

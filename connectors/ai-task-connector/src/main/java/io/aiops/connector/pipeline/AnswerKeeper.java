package io.aiops.connector.pipeline;

/**
 * Keeps a paid answer durably with the job before its outcome is reported (see {@link PaidAnswer}). The worker
 * runtime keeps it as a local variable of the job's element instance in Zeebe, which every worker that gets the job
 * next reads; {@link #NONE} keeps nothing (a host without a Zeebe client), and a redelivery then calls the model
 * again.
 */
@FunctionalInterface
public interface AnswerKeeper {

    /** Keeps nothing. */
    AnswerKeeper NONE = (context, answer) -> {};

    /** Stores {@code answer} with the job of {@code context}; throws when it could not be stored. */
    void keep(CallContext context, PaidAnswer answer);
}

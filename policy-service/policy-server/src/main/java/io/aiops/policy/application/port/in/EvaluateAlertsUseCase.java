package io.aiops.policy.application.port.in;

import io.aiops.policy.domain.audit.ChainVerdict;
import java.util.List;

/** Raises the alerts whose conditions hold now; each fires once per rule × subject × period, whoever evaluates. */
public interface EvaluateAlertsUseCase {

    /** Evaluates every scheduled rule (spend, error rate, model usage) at the clock's now; returns the alerts fired. */
    int evaluateScheduledRules();

    /** Raises AUDIT_CHAIN_BROKEN alerts for the broken chains a verification found; returns the alerts fired. */
    int auditChainsBroken(List<ChainVerdict> broken);
}

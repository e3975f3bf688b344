package io.aiops.policy.application.service.fakes;

import java.lang.reflect.Proxy;

/**
 * One in-memory "database": the fakes of the out-ports, wired to each other the way the tables refer to each other
 * (a decision is read with its reservation and call; a booking writes the decision, its reservation, holds and window
 * figures). Single-threaded: a lock is a plain read, and nothing is rolled back (the services under test throw inside
 * a transaction only before they wrote anything).
 */
public final class InMemoryPolicyData {

    public final InMemoryReservationStore reservations = new InMemoryReservationStore();
    public final InMemoryCallLedger ledger = new InMemoryCallLedger();
    public final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    public final InMemoryDecisionStore decisions = new InMemoryDecisionStore(budgets, reservations, ledger);
    public final InMemoryCatalogStore catalog = new InMemoryCatalogStore();
    public final InMemoryRoutingPolicyStore routingPolicies = new InMemoryRoutingPolicyStore();
    public final InMemoryProjectSettingsStore projectSettings = new InMemoryProjectSettingsStore();
    public final InMemoryAuditLog audit = new InMemoryAuditLog();
    public final InMemoryAlertRuleStore alertRules = new InMemoryAlertRuleStore();
    public final InMemoryAlertStore alerts = new InMemoryAlertStore();
    public final InMemoryScoreStore scores = new InMemoryScoreStore();

    /** A port the code under test must not call at all: every method throws. */
    public static <T> T unused(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "unused " + port.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            throw new UnsupportedOperationException(port.getSimpleName() + "." + method.getName() + " is not expected");
        }));
    }
}

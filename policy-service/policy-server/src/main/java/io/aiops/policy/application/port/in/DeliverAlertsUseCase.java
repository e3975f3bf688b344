package io.aiops.policy.application.port.in;

/** Posts fired alerts to their channels, retrying with backoff until they are delivered or given up. */
public interface DeliverAlertsUseCase {

    /** Delivers the deliveries due at the clock's now; returns how many succeeded. */
    int deliverDue();
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.api.FiredAlert;

/** A way of telling somebody about an alert (a webhook, a Zeebe message). */
public interface AlertChannel {

    /** The channel name stored with each delivery ({@code WEBHOOK}, {@code ZEEBE}). */
    String name();

    /** Sends the alert to {@code target} (a URL, a message name); throws {@link DeliveryFailed} when it was not taken. */
    void deliver(FiredAlert alert, String target);

    /** The receiver did not take the alert; the message is stored as the delivery's last error. */
    final class DeliveryFailed extends RuntimeException {
        public DeliveryFailed(String message) {
            super(message);
        }

        public DeliveryFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

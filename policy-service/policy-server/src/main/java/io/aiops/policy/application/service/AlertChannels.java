package io.aiops.policy.application.service;

/** Names of the channels an alert rule can deliver to, as stored with each delivery. */
public final class AlertChannels {

    public static final String WEBHOOK = "WEBHOOK";
    public static final String ZEEBE = "ZEEBE";

    private AlertChannels() {}
}

package io.aiops.policy.adapter.out.alerting;

import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.out.AlertChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Counts what a channel delivers: {@code aiops.alerts.deliveries} by channel, alert kind and result ({@code delivered},
 * {@code failed}), so a receiver that stopped taking alerts shows on a dashboard before anyone misses an alert.
 */
public final class MeteredAlertChannel implements AlertChannel {

    private final AlertChannel channel;
    private final MeterRegistry meters;

    private MeteredAlertChannel(AlertChannel channel, MeterRegistry meters) {
        this.channel = channel;
        this.meters = meters;
    }

    /** Each channel, counted. */
    public static List<AlertChannel> all(List<AlertChannel> channels, MeterRegistry meters) {
        return channels.stream()
                .<AlertChannel>map(c -> new MeteredAlertChannel(c, meters))
                .toList();
    }

    @Override
    public String name() {
        return channel.name();
    }

    @Override
    public void deliver(FiredAlert alert, String target) {
        String result = "failed";
        try {
            channel.deliver(alert, target);
            result = "delivered";
        } finally {
            meters.counter(
                            "aiops.alerts.deliveries",
                            "channel",
                            channel.name(),
                            "kind",
                            alert.kind() == null ? "" : alert.kind().name(),
                            "result",
                            result)
                    .increment();
        }
    }
}

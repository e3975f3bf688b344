package io.aiops.policy.application.service;

import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.application.port.in.ProviderHealthUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.ProviderHealthStore;
import io.aiops.policy.domain.CircuitHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.springframework.transaction.annotation.Transactional;

/** Keeps the circuit states workers report and sums them up for readers and for the decision path. */
public class ProviderHealthService implements ProviderHealthUseCase {

    /** Reports from further in the future than this are refused: the worker's clock is wrong. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** A circuit change older than this says nothing about the provider now (and far-off instants overflow SQL). */
    static final Duration MAX_REPORT_AGE = Duration.ofDays(1);

    private final ProviderHealthStore store;
    private final Duration openReportTtl;
    private final Clock clock;
    /** The reports as the decision path sees them: read at most {@code decisionCacheTtl} ago. */
    private final ShortLivedValue<List<ProviderHealth>> recentReports;

    public ProviderHealthService(ProviderHealthStore store, Duration openReportTtl, Clock clock) {
        this(store, openReportTtl, clock, Duration.ZERO);
    }

    /**
     * @param decisionCacheTtl how long {@link #openModels()} reuses the reports it read (a report made on another
     *     instance demotes a model here within this time; one made here, at once)
     */
    public ProviderHealthService(
            ProviderHealthStore store, Duration openReportTtl, Clock clock, Duration decisionCacheTtl) {
        this.store = store;
        this.openReportTtl = openReportTtl;
        this.clock = clock;
        this.recentReports = new ShortLivedValue<>(clock, decisionCacheTtl, () -> List.copyOf(store.findAll()));
    }

    @Override
    @Transactional
    public ProviderHealth report(ProviderHealth report) {
        if (report == null) {
            throw RequestRejected.invalid(null, "a health report is required");
        }
        // required fields are the request's Bean Validation rules; here: is the worker's clock plausible?
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (report.observedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw RequestRejected.invalid(
                    "observedAt", "observedAt lies more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
        }
        if (report.observedAt().isBefore(now.minus(MAX_REPORT_AGE))) {
            throw RequestRejected.invalid(
                    "observedAt",
                    "observedAt lies more than " + MAX_REPORT_AGE.toHours()
                            + " hours in the past; report the circuit's current state instead");
        }
        ProviderHealth stored = new ProviderHealth(
                report.provider(),
                report.model(),
                report.state(),
                report.reporter(),
                report.observedAt().truncatedTo(ChronoUnit.MICROS));
        recentReports.invalidate();
        store.upsert(stored, now);
        return stored;
    }

    @Override
    @Transactional(readOnly = true)
    public List<ProviderHealth> summary() {
        return CircuitHealth.summarise(store.findAll(), clock.instant(), openReportTtl);
    }

    /**
     * The {@code provider/model} keys workers currently report with an open circuit. No transaction: it runs on every
     * decision and mostly answers from the cached reports; a reload is one query.
     */
    public Set<String> openModels() {
        // the reports may be a moment old, but whether an OPEN report has lapsed is judged at this instant
        return CircuitHealth.openModels(CircuitHealth.summarise(recentReports.get(), clock.instant(), openReportTtl));
    }
}

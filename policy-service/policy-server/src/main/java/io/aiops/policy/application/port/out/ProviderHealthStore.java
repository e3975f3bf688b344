package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ProviderHealth;
import java.time.Instant;
import java.util.List;

/** The latest circuit-state report of every worker per (provider, model). */
public interface ProviderHealthStore {

    /** Keeps the report unless the same worker already reported a later observation for that model. */
    void upsert(ProviderHealth report, Instant receivedAt);

    List<ProviderHealth> findAll();
}

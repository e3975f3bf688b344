package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ProviderHealth;
import java.util.List;

/** Workers report circuit-breaker changes; everyone may read the summed-up health of each provider model. */
public interface ProviderHealthUseCase {

    ProviderHealth report(ProviderHealth report);

    List<ProviderHealth> summary();
}

package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.application.port.in.ProviderHealthUseCase;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Circuit-breaker states of provider models: workers report changes, decisions and operators read the summary. */
@RestController
@RequestMapping("/api/v1/providers/health")
class ProviderHealthController {

    private final ProviderHealthUseCase health;

    ProviderHealthController(ProviderHealthUseCase health) {
        this.health = health;
    }

    @PostMapping
    ProviderHealth report(@Valid @RequestBody ProviderHealth report) {
        return health.report(report);
    }

    @GetMapping
    List<ProviderHealth> summary() {
        return health.summary();
    }
}

package io.aiops.policy.adapter.in.web;

import io.aiops.policy.application.port.in.ApiPrincipal;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * An authenticated no-op: tells a caller its key works and which role it has. Also the baseline a decision's latency
 * is measured against (same filter chain, no database).
 */
@RestController
class PingController {

    @GetMapping("/api/v1/ping")
    Map<String, String> ping(@RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return Map.of("role", principal.role().name());
    }
}

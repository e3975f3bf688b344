package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.Name;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.QualityQuery;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** "Are the answers any good, and what does a good one cost": quality per group over a time range. */
@RestController
class QualityController {

    private final QualityQuery quality;

    QualityController(QualityQuery quality) {
        this.quality = quality;
    }

    @GetMapping("/api/v1/quality")
    QualityReport quality(
            @RequestParam(required = false) @Name String from,
            @RequestParam(required = false) @Name String to,
            @RequestParam(required = false) @Name String groupBy,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return quality.quality(from, to, groupBy, principal);
    }
}

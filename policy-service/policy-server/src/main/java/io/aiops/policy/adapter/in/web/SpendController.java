package io.aiops.policy.adapter.in.web;

import static io.aiops.policy.api.RequestLimits.MAX_NAME;
import static io.aiops.policy.api.RequestLimits.MAX_TAGS;

import io.aiops.policy.api.Name;
import io.aiops.policy.api.SpendReport;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.SpendQuery;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** "How much did we spend, and on what": totals per group over a time range, in one request. */
@RestController
class SpendController {

    private final SpendQuery spend;

    SpendController(SpendQuery spend) {
        this.spend = spend;
    }

    @GetMapping("/api/v1/spend")
    SpendReport spend(
            @RequestParam(required = false) @Name String from,
            @RequestParam(required = false) @Name String to,
            @RequestParam(required = false) @Name String groupBy,
            @RequestParam(name = "tag", required = false) @Size(max = MAX_TAGS)
                    List<@Size(max = 2 * MAX_NAME + 1) String> tags,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return spend.spend(from, to, groupBy, tags, principal);
    }
}

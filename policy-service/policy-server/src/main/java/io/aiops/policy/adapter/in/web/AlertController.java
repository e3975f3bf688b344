package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.AlertSigningKey;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.AlertSigningUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What fired, when, and whether it reached its channels (a key limited to projects sees their alerts only); and the
 * key webhook receivers verify alert posts with (admins of the project only, see {@link AccessRules}).
 */
@RestController
class AlertController {

    private final AlertRuleUseCase alerts;
    private final AlertSigningUseCase signing;

    AlertController(AlertRuleUseCase alerts, AlertSigningUseCase signing) {
        this.alerts = alerts;
        this.signing = signing;
    }

    @GetMapping("/api/v1/alerts")
    List<FiredAlert> alerts(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String state,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return alerts.alerts(from, to, state, principal);
    }

    /** A secret: no cache along the way may keep it. */
    /** A new key; the previous one keeps signing alongside until the overlap has passed. */
    @PostMapping("/api/v1/alerts/signing-key/rotate")
    ResponseEntity<AlertSigningKey> rotateSigningKey(
            @RequestParam(required = false) @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(signing.rotate(project, principal));
    }

    @GetMapping("/api/v1/alerts/signing-key")
    ResponseEntity<AlertSigningKey> signingKey(
            @RequestParam(required = false) String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(signing.signingKey(project, principal));
    }
}

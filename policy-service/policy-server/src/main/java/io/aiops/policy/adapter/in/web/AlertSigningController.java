package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.AlertSigningKey;
import io.aiops.policy.application.port.in.AlertSigningUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The key webhook receivers verify alert posts with: for admins of the project (see {@link AccessRules}). */
@RestController
class AlertSigningController {

  private final AlertSigningUseCase signing;

  AlertSigningController(AlertSigningUseCase signing) {
    this.signing = signing;
  }

  /** A secret: no cache along the way may keep it. */
  @GetMapping("/api/v1/alerts/signing-key")
  ResponseEntity<AlertSigningKey> signingKey(
      @RequestParam(required = false) String project,
      @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(signing.signingKey(project, principal));
  }
}

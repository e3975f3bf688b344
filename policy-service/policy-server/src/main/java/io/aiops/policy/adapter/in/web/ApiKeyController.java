package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Issues, revokes and rotates API keys; a key appears only in the response that creates it. */
@RestController
class ApiKeyController {

    private final ApiKeyUseCase apiKeys;

    ApiKeyController(ApiKeyUseCase apiKeys) {
        this.apiKeys = apiKeys;
    }

    @PostMapping("/api/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey issue(
            @Valid @RequestBody ApiKeyRequest request,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return apiKeys.issue(request, principal);
    }

    @DeleteMapping("/api/v1/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(
            @PathVariable UUID id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        apiKeys.revoke(id, principal);
    }

    @PostMapping("/api/v1/api-keys/{id}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey rotate(
            @PathVariable UUID id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return apiKeys.rotate(id, principal);
    }
}

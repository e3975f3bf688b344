package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Issues API keys; the key appears only in this response. */
@RestController
class ApiKeyController {

  private final ApiKeyUseCase apiKeys;

  ApiKeyController(ApiKeyUseCase apiKeys) {
    this.apiKeys = apiKeys;
  }

  @PostMapping("/api/v1/api-keys")
  @ResponseStatus(HttpStatus.CREATED)
  IssuedApiKey issue(@RequestBody ApiKeyRequest request) {
    return apiKeys.issue(request);
  }
}

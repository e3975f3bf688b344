package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.SignInLink;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.SignInLinkUseCase;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Issues a one-time link that signs its opener into the dashboards as the calling admin (admins only). */
@RestController
class SignInLinkApiController {

    private final SignInLinkUseCase links;

    SignInLinkApiController(SignInLinkUseCase links) {
        this.links = links;
    }

    @PostMapping("/api/v1/ui/sign-in-links")
    ResponseEntity<SignInLink> issue(
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        SignInLinkUseCase.IssuedLink issued = links.issue(principal);
        String url = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/ui/sign-in-link")
                .queryParam("token", issued.token())
                .build()
                .toUriString();
        // whoever holds the link is signed in as this admin: no cache may keep it
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new SignInLink(url, issued.expiresAt()));
    }
}

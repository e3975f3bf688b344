package io.aiops.policy.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** 20 failed authentications per address and minute, then 429 problem+json until the minute is over. */
class FailedAuthenticationLimitTest {

    private static final String GOOD = "good-key";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(
            new OneKey(), Jackson2ObjectMapperBuilder.json().build(), new FailedAuthenticationLimiter(20, clock), 1024);

    private MockHttpServletResponse call(String address, String key) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/audit/verify");
        request.setRemoteAddr(address);
        if (key != null) {
            request.addHeader("Authorization", "Bearer " + key);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void twentyFailuresBlockTheAddressForTheRestOfTheMinuteOnly() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(call("10.0.0.1", "guess-" + i).getStatus()).isEqualTo(401);
        }

        MockHttpServletResponse blocked = call("10.0.0.1", GOOD);
        assertThat(blocked.getStatus()).isEqualTo(429);
        assertThat(blocked.getContentType()).isEqualTo("application/problem+json");
        assertThat(blocked.getHeader("Retry-After")).isEqualTo("60");
        JsonNode problem = PolicyClient.JSON.readTree(blocked.getContentAsByteArray());
        assertThat(problem.path("type").asText())
                .isEqualTo("https://aiops.io/problems/too-many-failed-authentications");
        // other addresses are not affected
        assertThat(call("10.0.0.2", GOOD).getStatus()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(45));
        assertThat(call("10.0.0.1", GOOD).getStatus()).isEqualTo(429);
        assertThat(call("10.0.0.1", GOOD).getHeader("Retry-After")).isEqualTo("15");

        clock.advance(Duration.ofSeconds(15));
        assertThat(call("10.0.0.1", GOOD).getStatus()).isEqualTo(200);
    }

    @Test
    void successesDoNotCountAndNineteenFailuresDoNotBlock() throws Exception {
        for (int i = 0; i < 19; i++) {
            call("10.0.0.3", null);
            call("10.0.0.3", GOOD);
        }
        assertThat(call("10.0.0.3", GOOD).getStatus()).isEqualTo(200);
    }

    @Test
    void anAnnouncedBodyOverTheLimitIsRefusedNamingTheBody() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/decisions");
        request.addHeader("Authorization", "Bearer " + GOOD);
        request.setContent(new byte[2048]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(PolicyClient.JSON
                        .readTree(response.getContentAsByteArray())
                        .path("field")
                        .asText())
                .isEqualTo("body");
    }

    /** Knows one admin key. */
    private static final class OneKey implements ApiKeyUseCase {
        @Override
        public IssuedApiKey issue(ApiKeyRequest request, ApiPrincipal actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void revoke(UUID keyId, ApiPrincipal actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IssuedApiKey rotate(UUID keyId, ApiPrincipal actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ApiPrincipal> authenticate(String presentedKey) {
            return GOOD.equals(presentedKey)
                    ? Optional.of(new ApiPrincipal(UUID.randomUUID(), "admin", ApiRole.ADMIN, List.of()))
                    : Optional.empty();
        }

        @Override
        public boolean isActive(UUID keyId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void ensureAdminKey(String key) {}
    }
}

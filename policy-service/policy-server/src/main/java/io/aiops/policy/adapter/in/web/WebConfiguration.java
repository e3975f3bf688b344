package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.config.PolicyServerProperties;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the API key check (with the failed-authentication limit and body size cap) in front of the API. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    FailedAuthenticationLimiter failedAuthenticationLimiter(PolicyServerProperties properties, Clock clock) {
        return new FailedAuthenticationLimiter(properties.limits().failedAuthenticationsPerMinute(), clock);
    }

    @Bean
    FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyAuthentication(
            ApiKeyUseCase apiKeys,
            ObjectMapper json,
            FailedAuthenticationLimiter failures,
            PolicyServerProperties properties) {
        FilterRegistrationBean<ApiKeyAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyAuthenticationFilter(
                        apiKeys, json, failures, properties.limits().maxBodyBytes()));
        // every path: an allow-list of public paths inside the filter is safer than a list of protected ones here
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}

package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the API key check in front of the API. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

  @Bean
  FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyAuthentication(ApiKeyUseCase apiKeys, ObjectMapper json) {
    FilterRegistrationBean<ApiKeyAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyAuthenticationFilter(apiKeys, json));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }
}

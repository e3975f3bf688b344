package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.validation.Validator;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 description of the policy API (served at {@code /v3/api-docs} and {@code /v3/api-docs.yaml}, checked
 * in as {@code docs/openapi.yaml}, shown to signed-in dashboard users at {@code /ui/api}): every endpoint, its bodies
 * with their validation rules, examples of requests, answers and problems, and the API key as a bearer token.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_KEY = "apiKey";

    @Bean
    OpenAPI policyApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("AI Ops policy API")
                        .version("v1")
                        .description("Decisions before AI calls, outcomes after them, budgets, routing, prices, alerts,"
                                + " quality, prompts and the audit trail. Errors are RFC 9457 problem+json. See"
                                + " docs/api.md for the rules behind each endpoint."))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key (ADMIN, WORKER or VIEWER; see docs/api.md#roles)")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    @Bean
    OpenApiCustomizer openApiExamples(ObjectMapper json, Validator validator) {
        return new OpenApiExamples(json, validator);
    }
}

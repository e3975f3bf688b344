package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.PolicyClient;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
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

    /** Every request that changes something may name the person its key acts for (docs/api.md#acting-for-a-person). */
    @Bean
    OpenApiCustomizer onBehalfOfHeader() {
        return api -> api.getPaths()
                .values()
                .forEach(path -> path.readOperationsMap().forEach((method, operation) -> {
                    if (method != PathItem.HttpMethod.GET) {
                        operation.addParametersItem(new HeaderParameter()
                                .name(PolicyClient.ON_BEHALF_OF_HEADER)
                                .required(false)
                                .description(
                                        "The person the key's holder acts for, UTF-8 percent-encoded (RFC 3986), at"
                                                + " most " + PolicyClient.MAX_ON_BEHALF_OF_CHARS
                                                + " characters once decoded; named"
                                                + " as onBehalfOf in the audit entries of the changes the request makes")
                                .schema(new StringSchema()));
                    }
                }));
    }
}

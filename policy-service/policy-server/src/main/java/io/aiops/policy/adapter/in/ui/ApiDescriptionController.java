package io.aiops.policy.adapter.in.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Map;
import org.springdoc.webmvc.api.OpenApiWebMvcResource;
import org.springdoc.webmvc.ui.SwaggerConfigResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API description for the dashboards' Swagger UI page ({@code /ui/api}, served by springdoc under
 * {@code /ui/swagger-ui/}): the browser reads the description and the page's settings with its dashboard session, while
 * "Try it out" sends the API key the person enters with the page's Authorize button, as any API client does. The
 * description is the one {@code /v3/api-docs} serves to API keys.
 */
@RestController
class ApiDescriptionController {

    static final String DESCRIPTION = "/ui/api/openapi.json";
    static final String SETTINGS = "/ui/api/swagger-config";

    private final OpenApiWebMvcResource description;
    private final SwaggerConfigResource settings;

    ApiDescriptionController(OpenApiWebMvcResource description, SwaggerConfigResource settings) {
        this.description = description;
        this.settings = settings;
    }

    @GetMapping(value = DESCRIPTION, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> description(HttpServletRequest request, Locale locale) throws JsonProcessingException {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(description.openapiJson(request, DESCRIPTION, locale));
    }

    /** Swagger UI's settings (springdoc.swagger-ui.* in application.yml), pointing it at the description above. */
    @GetMapping(value = SETTINGS, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> settings(HttpServletRequest request) {
        return settings.openapiJson(request);
    }
}

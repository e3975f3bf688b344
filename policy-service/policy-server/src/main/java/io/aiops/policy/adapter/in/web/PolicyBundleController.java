package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aiops.policy.api.PolicyBundle;
import io.aiops.policy.api.PolicyBundleDiff;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.PolicyBundleUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Policies as code: one JSON or YAML document of prices, routing policies, budgets, alert rules, project settings and
 * prompts, applied all or nothing (or tried with {@code dryRun}), and what is live exported in the same form. The
 * document is read here (YAML only for these two endpoints) and checked with the Bean Validation rules of each
 * entry's own PUT body; every other rule is the use cases'.
 */
@RestController
class PolicyBundleController {

    static final String YAML = "application/yaml";
    private static final List<MediaType> YAML_TYPES = List.of(
            MediaType.parseMediaType(YAML),
            MediaType.parseMediaType("application/x-yaml"),
            MediaType.parseMediaType("text/yaml"));

    private final PolicyBundleUseCase bundles;
    private final ObjectMapper json;
    private final Validator validator;
    /** Reads decimals exactly and writes them plain, as the JSON mapper does; quotes a string only where needed. */
    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    PolicyBundleController(PolicyBundleUseCase bundles, ObjectMapper json, Validator validator) {
        this.bundles = bundles;
        this.json = json;
        this.validator = validator;
    }

    /**
     * Applies the bundle in one transaction, or with {@code dryRun=true} only says what it would do; {@code
     * prune=true} also removes the live objects it does not list where their kind can be removed (alert rules).
     */
    @PostMapping(
            path = "/api/v1/policy-bundles",
            consumes = {MediaType.APPLICATION_JSON_VALUE, YAML, "application/x-yaml", "text/yaml"})
    PolicyBundleDiff applyBundle(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = PolicyBundle.class)),
                                @Content(mediaType = YAML, schema = @Schema(implementation = PolicyBundle.class)),
                                @Content(
                                        mediaType = "application/x-yaml",
                                        schema = @Schema(implementation = PolicyBundle.class)),
                                @Content(mediaType = "text/yaml", schema = @Schema(implementation = PolicyBundle.class))
                            })
                    @RequestBody
                    byte[] body,
            @Parameter(hidden = true) @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestParam(defaultValue = "false") boolean prune,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal,
            HttpServletRequest request) {
        JsonNode document = read(body, isYaml(contentType), request);
        if (!document.isObject()) {
            throw RequestRejected.invalid(null, "a policy bundle must be an object of sections");
        }
        JsonNode budgets = document.get("budgets");
        if (budgets != null && budgets.isArray()) {
            for (int i = 0; i < budgets.size(); i++) {
                BudgetController.checkShape(budgets.get(i), "budgets[" + i + "].");
            }
        }
        PolicyBundle bundle = JsonBodies.bind(json, document, PolicyBundle.class, "");
        Set<ConstraintViolation<PolicyBundle>> violations = validator.validate(bundle);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return bundles.apply(bundle, dryRun, prune, principal);
    }

    /** What is live, as far as the key may see it: JSON, or YAML when the caller accepts YAML first. */
    @GetMapping("/api/v1/policy-bundles/current")
    @ApiResponse(
            responseCode = "200",
            description = "OK",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = PolicyBundle.class)),
                @Content(mediaType = YAML, schema = @Schema(implementation = PolicyBundle.class))
            })
    ResponseEntity<String> currentBundle(
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal)
            throws JsonProcessingException {
        JsonNode document = withoutNulls(json.valueToTree(bundles.current(principal)));
        if (prefersYaml(accept)) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8))
                    .body(yaml.writeValueAsString(document));
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "json", StandardCharsets.UTF_8))
                .body(json.writeValueAsString(document));
    }

    /** One document; what the parser cannot read is a malformed request, as for every other body. */
    private JsonNode read(byte[] body, boolean isYaml, HttpServletRequest request) {
        try {
            if (!isYaml) {
                return json.readTree(body);
            }
            try (JsonParser parser = yaml.createParser(body)) {
                JsonNode document = yaml.readTree(parser);
                if (parser.nextToken() != null) {
                    throw RequestRejected.invalid(null, "a policy bundle is one YAML document, not several");
                }
                return document == null ? yaml.nullNode() : document;
            }
        } catch (JsonProcessingException e) {
            throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
        } catch (IOException e) {
            throw new IllegalStateException("reading a request body held in memory failed", e);
        }
    }

    private static boolean isYaml(String contentType) {
        MediaType type = MediaType.parseMediaType(contentType);
        return YAML_TYPES.stream().anyMatch(y -> y.equalsTypeAndSubtype(type));
    }

    /** YAML when the first acceptable type (by quality, then order) is a YAML type; JSON otherwise. */
    private static boolean prefersYaml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : accepted) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            if (YAML_TYPES.stream().anyMatch(y -> y.equalsTypeAndSubtype(type))) {
                return true;
            }
            if (type.includes(MediaType.APPLICATION_JSON)) {
                return false;
            }
        }
        return false;
    }

    /** The document without null fields: a field left out means the same, and reads better in YAML. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    withoutNulls(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(PolicyBundleController::withoutNulls);
        }
        return node;
    }
}

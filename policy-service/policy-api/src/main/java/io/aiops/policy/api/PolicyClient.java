package io.aiops.policy.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A small HTTP client for the policy service API, for workers (decisions, outcomes) and tools (catalog, budgets,
 * reports). Thread-safe; one instance per service URL and API key.
 */
public final class PolicyClient {

    /** The JSON mapping the API uses: ISO dates, exact decimals, unknown fields ignored (newer servers add fields). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    /**
     * The request header naming the person a key's holder acts for (UTF-8, percent-encoded as in RFC 3986); the
     * service records it in the audit entries of the changes the request makes. A statement of the key's holder: the
     * service checks its form, not its truth.
     */
    public static final String ON_BEHALF_OF_HEADER = "AIOps-On-Behalf-Of";

    /** The longest name the on-behalf-of header may carry, in characters. */
    public static final int MAX_ON_BEHALF_OF_CHARS = 200;

    /**
     * Whether {@code name} may name the person a request is made for: printable as a {@link Name} (no control
     * characters, no unpaired surrogates) and without invisible formatting characters (Unicode category Cf: direction
     * overrides, zero-width spaces), which would let one name look like another in the audit trail.
     */
    public static boolean looksLikeAName(String name) {
        return RequestLimits.printable(name)
                && name.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT);
    }

    private final URI baseUri;
    private final String apiKey;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String onBehalfOf;

    public PolicyClient(URI baseUri, String apiKey) {
        this(baseUri, apiKey, Duration.ofSeconds(10));
    }

    public PolicyClient(URI baseUri, String apiKey, Duration requestTimeout) {
        this(
                Objects.requireNonNull(baseUri, "baseUri"),
                Objects.requireNonNull(apiKey, "apiKey"),
                requestTimeout,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                null);
    }

    private PolicyClient(URI baseUri, String apiKey, Duration requestTimeout, HttpClient http, String onBehalfOf) {
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.http = http;
        this.onBehalfOf = onBehalfOf;
    }

    /**
     * The same client, its requests stating that they are made for {@code person} (e.g. the approver of a budget
     * raise made by a worker's key): the audit entries of the changes they make name the person as well as the key.
     */
    public PolicyClient onBehalfOf(String person) {
        if (person == null || person.isBlank()) {
            throw new IllegalArgumentException("name the person the requests are made for");
        }
        return new PolicyClient(baseUri, apiKey, requestTimeout, http, person.strip());
    }

    public URI baseUri() {
        return baseUri;
    }

    /**
     * Applies a policy bundle all or nothing, or with {@code dryRun} only says what it would change; {@code prune}
     * also removes the live objects it does not list where their kind can be removed.
     */
    public PolicyBundleDiff applyPolicyBundle(PolicyBundle bundle, boolean dryRun, boolean prune) {
        return send(
                "POST", "/api/v1/policy-bundles?dryRun=" + dryRun + "&prune=" + prune, bundle, PolicyBundleDiff.class);
    }

    /** What is live, as far as this key may see it, as a policy bundle. */
    public PolicyBundle currentPolicyBundle() {
        return send("GET", "/api/v1/policy-bundles/current", null, PolicyBundle.class);
    }

    public Decision decide(DecisionRequest request) {
        return send("POST", "/api/v1/decisions", request, Decision.class);
    }

    public OutcomeReceipt reportOutcome(UUID decisionId, CallOutcome outcome) {
        return send("POST", "/api/v1/decisions/" + decisionId + "/outcome", outcome, OutcomeReceipt.class);
    }

    /** Records a call made without a decision while the service was unavailable; posting it again changes nothing. */
    public OutcomeReceipt recordUnapprovedCall(UnapprovedCall call) {
        return send("POST", "/api/v1/unapproved-calls", call, OutcomeReceipt.class);
    }

    public List<CallRecord> callsOfProcessInstance(long processInstanceKey) {
        return send(
                "GET", "/api/v1/process-instances/" + processInstanceKey + "/calls", null, new TypeReference<>() {});
    }

    /** Records feedback on a call named by id, or by process instance and AI task element id. */
    public FeedbackReceipt recordFeedback(CallFeedback feedback) {
        return send("POST", "/api/v1/feedback", feedback, FeedbackReceipt.class);
    }

    /** Quality per group over {@code [from, to)} (null: the service's defaults). */
    public QualityReport quality(String from, String to, String groupBy) {
        StringBuilder query = range(from, to);
        if (groupBy != null) {
            query.append("&groupBy=").append(enc(groupBy));
        }
        return send(
                "GET",
                "/api/v1/quality" + (query.isEmpty() ? "" : "?" + query.substring(1)),
                null,
                QualityReport.class);
    }

    /** Stores the next version of a prompt (or returns the latest when it says the same). */
    public PromptVersion putPrompt(String name, PromptDefinition definition) {
        return send("PUT", "/api/v1/prompts/" + enc(name), definition, PromptVersion.class);
    }

    /** The prompt version {@code ref} names: {@code name}, {@code name@3} or {@code name@production}. */
    public PromptVersion prompt(String ref) {
        int at = ref.lastIndexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        String path = "/api/v1/prompts/" + enc(name);
        if (at >= 0) {
            String selector = ref.substring(at + 1);
            path += selector.chars().allMatch(Character::isDigit) && !selector.isEmpty()
                    ? "/versions/" + selector
                    : "/labels/" + enc(selector);
        }
        return send("GET", path, null, PromptVersion.class);
    }

    /** Every version of a prompt, oldest first. */
    public List<PromptVersion> promptVersions(String name) {
        return send("GET", "/api/v1/prompts/" + enc(name) + "/versions", null, new TypeReference<>() {});
    }

    /** Points the label at a version of the prompt. */
    public PromptVersion putPromptLabel(String name, String label, int version) {
        return send(
                "PUT",
                "/api/v1/prompts/" + enc(name) + "/labels/" + enc(label),
                new PromptLabel(version),
                PromptVersion.class);
    }

    /** Sets the judge of a project ({@code bpmnProcessId} null) or of one of its workflows. */
    public JudgeSettings putJudge(String project, String bpmnProcessId, JudgeSettings settings) {
        return send("PUT", judgePath(project, bpmnProcessId), settings, JudgeSettings.class);
    }

    /** The judge settings that apply to a call of the workflow: its own, else the project's (404 when none). */
    public JudgeSettings effectiveJudge(String project, String bpmnProcessId) {
        return send(
                "GET",
                "/api/v1/projects/" + enc(project) + "/judge/effective"
                        + (bpmnProcessId == null ? "" : "?bpmnProcessId=" + enc(bpmnProcessId)),
                null,
                JudgeSettings.class);
    }

    private static String judgePath(String project, String bpmnProcessId) {
        return "/api/v1/projects/" + enc(project) + (bpmnProcessId == null ? "" : "/workflows/" + enc(bpmnProcessId))
                + "/judge";
    }

    public ModelPrice putModel(ModelPrice price) {
        return send(
                "PUT", "/api/v1/models/" + enc(price.provider()) + "/" + enc(price.model()), price, ModelPrice.class);
    }

    public ModelPrice getModel(String provider, String model) {
        return send("GET", "/api/v1/models/" + enc(provider) + "/" + enc(model), null, ModelPrice.class);
    }

    /** One page of the catalog; {@code provider} and {@code deprecated} may be null (no filter). */
    public ModelCatalogPage models(String provider, Boolean deprecated, int page, int size) {
        StringBuilder query = new StringBuilder("/api/v1/models?page=" + page + "&size=" + size);
        if (provider != null) {
            query.append("&provider=").append(enc(provider));
        }
        if (deprecated != null) {
            query.append("&deprecated=").append(deprecated);
        }
        return send("GET", query.toString(), null, ModelCatalogPage.class);
    }

    /** Every price version of a model, oldest first. */
    public List<ModelPrice> priceVersions(String provider, String model) {
        return send(
                "GET",
                "/api/v1/models/" + enc(provider) + "/" + enc(model) + "/versions",
                null,
                new TypeReference<>() {});
    }

    /**
     * Spend between {@code from} and {@code to} (ISO instants or dates; null: the last 7 days) grouped by the
     * comma-separated {@code groupBy} dimensions, over calls carrying every {@code key:value} in {@code tags}.
     */
    public SpendReport spend(String from, String to, String groupBy, List<String> tags) {
        StringBuilder query = range(from, to);
        if (groupBy != null) {
            query.append("&groupBy=").append(enc(groupBy));
        }
        for (String tag : tags == null ? List.<String>of() : tags) {
            query.append("&tag=").append(enc(tag));
        }
        return send(
                "GET", "/api/v1/spend" + (query.isEmpty() ? "" : "?" + query.substring(1)), null, SpendReport.class);
    }

    /** Suggested caps per project and project × workflow: 120 % of the spend over the last period length. */
    public List<BudgetRecommendation> budgetRecommendations(BudgetDefinition.BudgetPeriod period) {
        return send("GET", "/api/v1/budget-recommendations?period=" + period.name(), null, new TypeReference<>() {});
    }

    public BudgetStatus putBudget(BudgetDefinition budget) {
        return send("PUT", "/api/v1/budgets/" + enc(budget.id()), budget, BudgetStatus.class);
    }

    public BudgetStatus getBudget(String id) {
        return send("GET", "/api/v1/budgets/" + enc(id), null, BudgetStatus.class);
    }

    /** Recomputes the budget's figures from its holds and the ledger and says whether they agree. */
    public BudgetReconciliation reconcileBudget(String id) {
        return send("GET", "/api/v1/budgets/" + enc(id) + "/reconcile", null, BudgetReconciliation.class);
    }

    /** {@code &from=…&to=…} for the parameters that are set. */
    private static StringBuilder range(String from, String to) {
        StringBuilder query = new StringBuilder();
        if (from != null) {
            query.append("&from=").append(enc(from));
        }
        if (to != null) {
            query.append("&to=").append(enc(to));
        }
        return query;
    }

    public AlertRule putAlertRule(AlertRule rule) {
        return send("PUT", "/api/v1/alert-rules/" + enc(rule.id()), rule, AlertRule.class);
    }

    public AlertRule getAlertRule(String id) {
        return send("GET", "/api/v1/alert-rules/" + enc(id), null, AlertRule.class);
    }

    /** Retires the rule: it is no longer evaluated or listed; the alerts it fired stay. */
    public void deleteAlertRule(String id) {
        send("DELETE", "/api/v1/alert-rules/" + enc(id), null, Void.class);
    }

    /**
     * The key webhook receivers verify alert posts of {@code project} with (null: organisation-wide alerts); admins
     * only. See {@link AlertSignature#verify}.
     */
    public AlertSigningKey alertSigningKey(String project) {
        return send(
                "GET",
                "/api/v1/alerts/signing-key" + (project == null ? "" : "?project=" + enc(project)),
                null,
                AlertSigningKey.class);
    }

    /** Rotates the project's alert-signing key; the previous one keeps signing alongside during the overlap. */
    public AlertSigningKey rotateAlertSigningKey(String project) {
        return send(
                "POST",
                "/api/v1/alerts/signing-key/rotate" + (project == null ? "" : "?project=" + enc(project)),
                null,
                AlertSigningKey.class);
    }

    /** Every alert rule the key may see. */
    public List<AlertRule> alertRules() {
        return send("GET", "/api/v1/alert-rules", null, new TypeReference<>() {});
    }

    /**
     * The alerts fired between {@code from} and {@code to} (ISO instants or dates; null: the last 7 days), newest
     * first, optionally only those whose delivery state is {@code state}.
     */
    public List<FiredAlert> alerts(String from, String to, FiredAlert.DeliveryState state) {
        StringBuilder query = range(from, to);
        if (state != null) {
            query.append("&state=").append(state.name());
        }
        return send(
                "GET",
                "/api/v1/alerts" + (query.isEmpty() ? "" : "?" + query.substring(1)),
                null,
                new TypeReference<>() {});
    }

    public RoutingPolicy putRoutingPolicy(RoutingPolicy policy) {
        return send("PUT", "/api/v1/routing-policies/" + enc(policy.id()), policy, RoutingPolicy.class);
    }

    public RoutingPolicy getRoutingPolicy(String id) {
        return send("GET", "/api/v1/routing-policies/" + enc(id), null, RoutingPolicy.class);
    }

    /** Reports a change of a worker's circuit breaker for one (provider, model). */
    public ProviderHealth reportProviderHealth(ProviderHealth report) {
        return send("POST", "/api/v1/providers/health", report, ProviderHealth.class);
    }

    /** The circuit state of every reported (provider, model), summed up over the workers. */
    public List<ProviderHealth> providerHealth() {
        return send("GET", "/api/v1/providers/health", null, new TypeReference<>() {});
    }

    /** A one-time link that signs its opener into the dashboards as this (admin) key. */
    public SignInLink signInLink() {
        return send("POST", "/api/v1/ui/sign-in-links", null, SignInLink.class);
    }

    public IssuedApiKey createApiKey(ApiKeyRequest request) {
        return send("POST", "/api/v1/api-keys", request, IssuedApiKey.class);
    }

    /** Verifies a project's chain against anchors kept outside the service (and those it keeps itself). */
    public AuditVerification verifyAudit(String project, List<AuditAnchor> anchors) {
        return send("POST", "/api/v1/audit/verify?project=" + enc(project), anchors, AuditVerification.class);
    }

    /** Publishes every project's chain head now, signed, to the configured anchor stores. */
    public List<AuditAnchor> publishAuditAnchors() {
        return send("POST", "/api/v1/audit/anchors", null, new TypeReference<>() {});
    }

    public AuditVerification verifyAudit(String project) {
        return send("GET", "/api/v1/audit/verify?project=" + enc(project), null, AuditVerification.class);
    }

    public RedactionSettings putRedaction(String project, RedactionSettings settings) {
        return send("PUT", "/api/v1/projects/" + enc(project) + "/redaction", settings, RedactionSettings.class);
    }

    public RedactionSettings getRedaction(String project) {
        return send("GET", "/api/v1/projects/" + enc(project) + "/redaction", null, RedactionSettings.class);
    }

    public RedactionSettings putWorkflowRedaction(String project, String bpmnProcessId, RedactionSettings settings) {
        return send(
                "PUT",
                "/api/v1/projects/" + enc(project) + "/workflows/" + enc(bpmnProcessId) + "/redaction",
                settings,
                RedactionSettings.class);
    }

    public PolicyUnavailableSettings putPolicyUnavailable(String project, PolicyUnavailableSettings settings) {
        return send(
                "PUT",
                "/api/v1/projects/" + enc(project) + "/policy-unavailable",
                settings,
                PolicyUnavailableSettings.class);
    }

    public PolicyUnavailableSettings policyUnavailable(String project) {
        return send(
                "GET",
                "/api/v1/projects/" + enc(project) + "/policy-unavailable",
                null,
                PolicyUnavailableSettings.class);
    }

    public RetentionSettings putRetention(String project, RetentionSettings settings) {
        return send("PUT", "/api/v1/projects/" + enc(project) + "/retention", settings, RetentionSettings.class);
    }

    /** Revokes a key at once; requests with it are refused from then on. */
    public void revokeApiKey(UUID keyId) {
        send("DELETE", "/api/v1/api-keys/" + keyId, null, Void.class);
    }

    /** Issues a replacement for a key; the old key keeps working for the server's grace period. */
    public IssuedApiKey rotateApiKey(UUID keyId) {
        return send("POST", "/api/v1/api-keys/" + keyId + "/rotate", null, IssuedApiKey.class);
    }

    private <T> T send(String method, String path, Object body, Class<T> type) {
        return send(method, path, body, JSON.getTypeFactory().constructType(type));
    }

    private <T> T send(String method, String path, Object body, TypeReference<T> type) {
        return send(method, path, body, JSON.getTypeFactory().constructType(type));
    }

    private <T> T send(String method, String path, Object body, com.fasterxml.jackson.databind.JavaType type) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json, application/problem+json");
        if (onBehalfOf != null) {
            builder.header(ON_BEHALF_OF_HEADER, percentEncoded(onBehalfOf));
        }
        try {
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw problem(method, path, response);
            }
            if (type.getRawClass() == Void.class || response.body().length == 0) {
                return null;
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new PolicyServiceException(
                    0, "about:blank", method + " " + path + " failed: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyServiceException(0, "about:blank", method + " " + path + " interrupted", null, e);
        }
    }

    private static PolicyServiceException problem(String method, String path, HttpResponse<byte[]> response) {
        String type = "about:blank";
        String detail = new String(response.body(), StandardCharsets.UTF_8);
        String field = null;
        List<PolicyServiceException.FieldError> errors = new ArrayList<>();
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.isObject()) {
                type = node.path("type").asText(type);
                detail = node.hasNonNull("detail")
                        ? node.get("detail").asText()
                        : node.path("title").asText(detail);
                field = node.hasNonNull("field") ? node.get("field").asText() : null;
                for (JsonNode error : node.path("errors")) {
                    errors.add(new PolicyServiceException.FieldError(
                            error.path("field").asText(""),
                            error.path("message").asText("")));
                }
            }
        } catch (IOException notJson) {
            // keep the raw body as the message
        }
        StringBuilder message = new StringBuilder(method)
                .append(' ')
                .append(path)
                .append(" -> ")
                .append(response.statusCode())
                .append(": ")
                .append(detail);
        // the detail names the first invalid field; the message names the others too
        for (PolicyServiceException.FieldError error : errors.subList(Math.min(1, errors.size()), errors.size())) {
            message.append("; ").append(error.field()).append(' ').append(error.message());
        }
        return new PolicyServiceException(response.statusCode(), type, message.toString(), field, errors, null);
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** UTF-8 bytes, unreserved characters (RFC 3986) as they are and every other byte as %XX. */
    static String percentEncoded(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

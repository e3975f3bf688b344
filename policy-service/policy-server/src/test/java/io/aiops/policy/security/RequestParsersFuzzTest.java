package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.PolicyServerTest;
import jakarta.servlet.Filter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;

/**
 * Fuzzes the request parsers of the write endpoints with arbitrary bodies through the whole filter and controller
 * chain: every answer is 2xx, or 4xx problem+json whose status matches, never 5xx and never a stack trace. Each input
 * runs in a transaction that is rolled back, so inputs stay independent (a crash reproduces from its input alone)
 * and nothing the fuzzer sends reaches the database the other tests share. The last byte of an input picks the
 * endpoint ({@link Endpoint} order), the rest is the body; seeds and past findings live in
 * {@code RequestParsersFuzzTestInputs/<method>/}. docs/security.md says how to fuzz for longer.
 */
class RequestParsersFuzzTest extends PolicyServerTest {

    /** A frame of a Java stack trace, which must never reach a caller. */
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");

    /** The endpoints whose bodies are parsed, in the order the selector byte picks them. */
    enum Endpoint {
        DECISION(HttpMethod.POST, "/api/v1/decisions"),
        OUTCOME(HttpMethod.POST, "/api/v1/decisions/{decision}/outcome"),
        BUDGET(HttpMethod.PUT, "/api/v1/budgets/fuzz-budget"),
        MODEL_PRICE(HttpMethod.PUT, "/api/v1/models/acme/fuzz-model"),
        ROUTING_POLICY(HttpMethod.PUT, "/api/v1/routing-policies/fuzz-route"),
        PRICE_TABLE_IMPORT(HttpMethod.POST, "/api/v1/catalog/import");

        final HttpMethod method;
        final String path;

        Endpoint(HttpMethod method, String path) {
            this.method = method;
            this.path = path;
        }
    }

    /** An open decision of a routed project, so outcomes reach pricing and settlement instead of "no decision". */
    private static UUID openDecision;

    @Autowired
    private WebApplicationContext context;

    @Autowired
    private List<FilterRegistrationBean<?>> registeredFilters;

    @Autowired
    private List<Filter> filterBeans;

    @Autowired
    private TransactionTemplate transactions;

    private MockMvc mvc;

    @FuzzTest(maxDuration = "15s")
    void anyBodyOnAnyParserIsAnsweredWithoutServerError(FuzzedDataProvider data) {
        Endpoint endpoint = Endpoint.values()[data.consumeInt(0, Endpoint.values().length - 1)];
        byte[] body = data.consumeRemainingAsBytes();
        String path = endpoint.path.replace("{decision}", decision().toString());
        MockMvc mvc = mockMvc();

        MockHttpServletResponse response = transactions.execute(status -> {
            status.setRollbackOnly();
            try {
                return mvc.perform(MockMvcRequestBuilders.request(endpoint.method, path)
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(body))
                        .andReturn()
                        .getResponse();
            } catch (Exception e) {
                throw new AssertionError(endpoint + " let an exception escape instead of answering", e);
            }
        });

        String answer = utf8(response);
        assertThat(response.getStatus()).as("%s answered %s", endpoint, answer).isBetween(200, 499);
        assertThat(STACK_FRAME.matcher(answer).find())
                .as("%s leaked a stack trace: %s", endpoint, answer)
                .isFalse();
        if (response.getStatus() >= 400) {
            assertThat(response.getContentType())
                    .as("%s answered %s", endpoint, answer)
                    .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            JsonNode problem = readJson(answer);
            assertThat(problem.path("status").asInt()).isEqualTo(response.getStatus());
            assertThat(problem.path("type").asText()).startsWith("https://aiops.io/problems/");
        }
    }

    /**
     * The server's own filter chain (authentication, body limit) in front of its controllers, built by hand rather than
     * with {@code @AutoConfigureMockMvc} so this test shares the Spring context of the other system tests.
     */
    private MockMvc mockMvc() {
        if (mvc == null) {
            Filter[] filters = Stream.concat(
                            registeredFilters.stream().map(FilterRegistrationBean::getFilter), filterBeans.stream())
                    .distinct()
                    .toArray(Filter[]::new);
            mvc = MockMvcBuilders.webAppContextSetup(context)
                    .addFilters(filters)
                    .build();
        }
        return mvc;
    }

    private UUID decision() {
        if (openDecision == null) {
            String project = unique("fuzz");
            routeProjectTo(project, "fuzz-model-" + project, "0.000001", "0.000002");
            Decision decision = worker.decide(request(project, "classify", 10, 10));
            openDecision = decision.decisionId();
        }
        return openDecision;
    }

    private static String utf8(MockHttpServletResponse response) {
        try {
            return response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.UnsupportedEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return PolicyClient.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("a problem body that is not JSON: " + text, e);
        }
    }
}

package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request (anything but health, info and the dashboards) through only with {@code Authorization: Bearer <key>} of a role
 * allowed for the endpoint: 401 without or with an unknown key, 403 with a key of the wrong role, 429 for an address with too many
 * failed attempts, 413 for a body over the size limit. The key is never logged.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String PRINCIPAL_ATTRIBUTE = "io.aiops.policy.apiPrincipal";
    private static final String BEARER = "Bearer ";

    private final ApiKeyUseCase apiKeys;
    private final ObjectMapper json;
    private final FailedAuthenticationLimiter failures;
    private final long maxBodyBytes;

    ApiKeyAuthenticationFilter(
            ApiKeyUseCase apiKeys, ObjectMapper json, FailedAuthenticationLimiter failures, long maxBodyBytes) {
        this.apiKeys = apiKeys;
        this.json = json;
        this.failures = failures;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Only health, info and the dashboards go without a key. The decision uses the container's decoded and normalised path (servlet
     * path plus path info), the same path the handlers are matched against; the raw request URI would let
     * {@code /%61pi/...} or {@code /api;x/...} past a prefix check and still reach an API handler.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isPublic(pathOf(request));
    }

    static boolean isPublic(String path) {
        return path.equals("/actuator/health")
                || path.startsWith("/actuator/health/")
                || path.equals("/actuator/info")
                || isDashboard(path);
    }

    /** The dashboards sign people in with a session of their own (see the ui adapter), not with a bearer key. */
    static boolean isDashboard(String path) {
        return path.equals("/ui") || path.startsWith("/ui/");
    }

    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        return request.getPathInfo() == null ? servletPath : servletPath + request.getPathInfo();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Duration wait = failures.retryAfter(address);
        if (!wait.isZero()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
            write(
                    response,
                    Problems.of(
                            HttpStatus.TOO_MANY_REQUESTS,
                            "too-many-failed-authentications",
                            "Too many failed authentications",
                            "too many requests with a missing or invalid API key from this address; retry after "
                                    + wait.toSeconds() + " s",
                            null));
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<ApiPrincipal> principal = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? apiKeys.authenticate(header.substring(BEARER.length()).trim())
                : Optional.empty();
        if (principal.isEmpty()) {
            failures.recordFailure(address);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            write(response, unauthenticated(header != null));
            return;
        }
        String path = pathOf(request);
        if (!AccessRules.allowedRoles(request.getMethod(), path)
                .contains(principal.get().role())) {
            write(response, forbidden(principal.get().role(), request.getMethod(), path));
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            write(
                    response,
                    Problems.of(
                            HttpStatus.PAYLOAD_TOO_LARGE,
                            "payload-too-large",
                            "Payload too large",
                            "the request body has " + request.getContentLengthLong() + " bytes; at most " + maxBodyBytes
                                    + " are accepted",
                            "body"));
            return;
        }
        ApiPrincipal acting = principal.get();
        List<String> onBehalfOf = Collections.list(request.getHeaders(PolicyClient.ON_BEHALF_OF_HEADER));
        if (!onBehalfOf.isEmpty()) {
            try {
                if (onBehalfOf.size() > 1) {
                    throw new IllegalArgumentException("give it once: a request is made for one person");
                }
                acting = acting.actingFor(OnBehalfOf.parse(onBehalfOf.getFirst()));
            } catch (IllegalArgumentException e) {
                write(
                        response,
                        Problems.of(
                                HttpStatus.BAD_REQUEST,
                                "validation",
                                "Invalid request",
                                PolicyClient.ON_BEHALF_OF_HEADER + ": " + e.getMessage(),
                                PolicyClient.ON_BEHALF_OF_HEADER));
                return;
            }
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, acting);
        chain.doFilter(new BodySizeLimit(request, maxBodyBytes), response);
    }

    /** The answer to a request without a key ({@code keyGiven} false) or with one that is not valid. */
    static ProblemDetail unauthenticated(boolean keyGiven) {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "unauthenticated",
                "Unauthenticated",
                keyGiven ? "the API key is not valid" : "an API key is required: Authorization: Bearer <key>",
                null);
    }

    /** The answer to a key whose role may not call the endpoint. */
    static ProblemDetail forbidden(ApiRole role, String method, String path) {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "role " + role + " may not " + method + " " + path,
                null);
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}

package io.aiops.policy.adapter.in.ui;

import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a dashboard session whose key is no longer valid (revoked, or its rotation grace over): the session is
 * invalidated before the page is authorised, so the request is answered as one without a session (the sign-in page).
 * The key's state is read as fresh as an API request's ({@code aiops.api-keys.cache-ttl}).
 */
final class EndedKeySessions extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(EndedKeySessions.class);

    private final ApiKeyUseCase apiKeys;

    EndedKeySessions(ApiKeyUseCase apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** Static files and the sign-in pages need no session check (and no database read). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/ui/assets/")
                || path.startsWith("/ui/webjars/")
                || path.startsWith("/ui/swagger-ui/")
                || path.equals(DashboardSecurity.LOGIN);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (signedIn != null
                && signedIn.getPrincipal() instanceof ApiPrincipal principal
                && !apiKeys.isActive(principal.keyId())) {
            LOG.info(
                    "Dashboard session of key {} ({}) ended: the key is no longer valid",
                    principal.keyId(),
                    principal.name());
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        chain.doFilter(request, response);
    }
}

package io.aiops.policy.adapter.in.ui;

import io.aiops.policy.api.ApiRole;
import io.aiops.policy.application.port.in.ApiKeyUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may see the dashboards: a person signs in with an API key of role VIEWER or ADMIN (a WORKER key cannot) and
 * gets a session; pages are then served for that key's projects only. The session cookie is HttpOnly and SameSite
 * (Secure whenever the request came over HTTPS), every form carries a CSRF token, and the pages allow scripts and
 * styles from this server only. A session ends with its key: once the key is revoked or its rotation grace is over,
 * the next page asks to sign in again. The API under {@code /api/} is not touched by this: it keeps its bearer keys.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurity {

    static final String LOGIN = "/ui/login";

    @Bean
    @Order(1)
    SecurityFilterChain dashboards(HttpSecurity http, DashboardSignIn signIn, ApiKeyUseCase apiKeys) throws Exception {
        http.securityMatcher("/ui", "/ui/**")
                .authenticationProvider(signIn)
                .addFilterAfter(new EndedKeySessions(apiKeys), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                LOGIN, SignInLinkController.PATH, "/ui/assets/**", "/ui/webjars/**")
                        .permitAll()
                        .anyRequest()
                        .hasAnyAuthority(authority(ApiRole.ADMIN), authority(ApiRole.VIEWER)))
                .formLogin(form -> form.loginPage(LOGIN)
                        .loginProcessingUrl(LOGIN)
                        // the key is the one credential: read from the one field as both name and secret
                        .usernameParameter("apiKey")
                        .passwordParameter("apiKey")
                        .defaultSuccessUrl("/ui/", false)
                        .failureUrl(LOGIN + "?error"))
                .logout(logout -> logout.logoutUrl("/ui/logout").logoutSuccessUrl(LOGIN + "?signedOut"))
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                SWAGGER_UI, new StaticHeadersWriter(CSP, policy(SWAGGER_UI_STYLE))))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                new NegatedRequestMatcher(SWAGGER_UI), new StaticHeadersWriter(CSP, policy(""))))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    private static final String CSP = "Content-Security-Policy";

    /** Swagger UI's page (springdoc serves it from its WebJar under the dashboards' path, see application.yml). */
    private static final RequestMatcher SWAGGER_UI =
            PathPatternRequestMatcher.withDefaults().matcher("/ui/swagger-ui/**");

    /**
     * The one inline style Swagger UI's script applies (by its hash, so no other inline style passes); a new Swagger UI
     * version with another one shows up as a console error in DashboardBrowserTest.
     */
    private static final String SWAGGER_UI_STYLE = " 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

    /** Scripts, styles and pictures from this server only; {@code styles} adds allowed inline styles. */
    private static String policy(String styles) {
        return "default-src 'self'; script-src 'self'; style-src 'self'" + styles + "; img-src 'self' data:;"
                + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    static String authority(ApiRole role) {
        return "ROLE_" + role.name();
    }

    /** Signs in with an API key: any valid key of role VIEWER or ADMIN. */
    @Bean
    DashboardSignIn dashboardSignIn(ApiKeyUseCase apiKeys) {
        return new DashboardSignIn(apiKeys);
    }

    static final class DashboardSignIn implements AuthenticationProvider {

        private final ApiKeyUseCase apiKeys;

        DashboardSignIn(ApiKeyUseCase apiKeys) {
            this.apiKeys = apiKeys;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            Object key = authentication.getCredentials();
            ApiPrincipal principal = key instanceof String presented && !presented.isBlank()
                    ? apiKeys.authenticate(presented.trim()).orElse(null)
                    : null;
            if (principal == null || principal.role() == ApiRole.WORKER) {
                throw new BadCredentialsException("not the API key of a viewer or an admin");
            }
            return signedIn(principal);
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    /** The session's authentication: the key's principal, never the key itself. */
    static Authentication signedIn(ApiPrincipal principal) {
        return new SignedIn(principal);
    }

    private static final class SignedIn extends AbstractAuthenticationToken {

        private final ApiPrincipal principal;

        SignedIn(ApiPrincipal principal) {
            super(List.of(new SimpleGrantedAuthority(authority(principal.role()))));
            this.principal = principal;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public ApiPrincipal getPrincipal() {
            return principal;
        }

        @Override
        public String getName() {
            return principal.name();
        }
    }
}

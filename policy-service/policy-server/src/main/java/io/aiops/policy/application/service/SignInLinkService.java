package io.aiops.policy.application.service;

import io.aiops.policy.api.ApiRole;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.SignInLinkUseCase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps issued sign-in tokens in memory as SHA-256 hashes (a token is never stored), each for {@link #LIFETIME} and
 * one use. Expired ones are dropped whenever a link is issued.
 */
public class SignInLinkService implements SignInLinkUseCase {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final int MAX_OPEN = 1000;

    private record Pending(ApiPrincipal principal, Instant expiresAt) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public SignInLinkService(Clock clock) {
        this.clock = clock;
    }

    @Override
    public IssuedLink issue(ApiPrincipal actor) {
        if (actor.role() != ApiRole.ADMIN) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN, null, "only an admin key may issue sign-in links");
        }
        Instant now = clock.instant();
        pending.values().removeIf(p -> !p.expiresAt().isAfter(now));
        if (pending.size() >= MAX_OPEN) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT, null, MAX_OPEN + " sign-in links are open; wait for some to expire");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(LIFETIME);
        pending.put(hash(token), new Pending(actor, expiresAt));
        return new IssuedLink(token, expiresAt);
    }

    @Override
    public Optional<ApiPrincipal> redeem(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        Pending used = pending.remove(hash(token));
        return used == null || !used.expiresAt().isAfter(clock.instant())
                ? Optional.empty()
                : Optional.of(used.principal());
    }

    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package io.aiops.policy.application.port.in;

import java.time.Instant;
import java.util.Optional;

/**
 * One-time links into the dashboards: an admin asks for one (the sandbox does, to print it), the person who opens
 * it is signed in as that admin once. A link is good for one use within its lifetime, on the instance that issued it.
 */
public interface SignInLinkUseCase {

    /** A token nobody can guess, to be put in a link; only admins may ask. */
    IssuedLink issue(ApiPrincipal actor);

    /** The principal the token was issued for, once; empty for an unknown, used or expired token. */
    Optional<ApiPrincipal> redeem(String token);

    record IssuedLink(String token, Instant expiresAt) {}
}

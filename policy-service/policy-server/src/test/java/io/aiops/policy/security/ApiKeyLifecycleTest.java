package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.support.PolicyServerTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys are revocable at once and rotate without downtime: the old key works through the grace period only. */
class ApiKeyLifecycleTest extends PolicyServerTest {

    private String project;

    private PolicyClient as(IssuedApiKey key) {
        return new PolicyClient(baseUri(), key.key());
    }

    private int statusOfVerify(PolicyClient client) {
        try {
            client.verifyAudit(project);
            return 200;
        } catch (PolicyServiceException e) {
            return e.status();
        }
    }

    @Test
    void aRevokedKeyIsRefusedOnTheNextRequestEvenThoughItWasCached() {
        project = unique("keys");
        IssuedApiKey key = admin.createApiKey(new ApiKeyRequest("reporting", ApiRole.VIEWER, List.of(project)));
        assertThat(statusOfVerify(as(key))).isEqualTo(200);

        admin.revokeApiKey(key.id());

        assertThat(statusOfVerify(as(key))).isEqualTo(401);
        // revoking twice is harmless
        admin.revokeApiKey(key.id());
    }

    @Test
    void rotationKeepsTheOldKeyValidForTheGracePeriodOnly() {
        project = unique("keys");
        IssuedApiKey old = admin.createApiKey(new ApiKeyRequest("reporting", ApiRole.VIEWER, List.of(project)));
        assertThat(statusOfVerify(as(old))).isEqualTo(200);

        IssuedApiKey rotated = admin.rotateApiKey(old.id());

        assertThat(rotated.key()).isNotEqualTo(old.key());
        assertThat(rotated.role()).isEqualTo(ApiRole.VIEWER);
        assertThat(rotated.projects()).containsExactly(project);
        assertThat(statusOfVerify(as(old))).isEqualTo(200);
        assertThat(statusOfVerify(as(rotated))).isEqualTo(200);

        CLOCK.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(statusOfVerify(as(old))).isEqualTo(401);
        assertThat(statusOfVerify(as(rotated))).isEqualTo(200);
    }

    @Test
    void aProjectAdminCannotIssueUnscopedKeysNorManageOtherProjectsKeys() {
        project = unique("keys");
        PolicyClient projectAdmin =
                as(admin.createApiKey(new ApiKeyRequest("p-admin", ApiRole.ADMIN, List.of(project))));
        IssuedApiKey foreign = admin.createApiKey(new ApiKeyRequest("q", ApiRole.WORKER, List.of(unique("other"))));

        PolicyServiceException unscoped = catchThrowableOfType(
                PolicyServiceException.class,
                () -> projectAdmin.createApiKey(new ApiKeyRequest("everything", ApiRole.ADMIN, List.of())));
        PolicyServiceException revoke =
                catchThrowableOfType(PolicyServiceException.class, () -> projectAdmin.revokeApiKey(foreign.id()));

        assertThat(unscoped.status()).isEqualTo(403);
        assertThat(unscoped.field()).isEqualTo("projects");
        assertThat(revoke.status()).isEqualTo(403);
        assertThat(projectAdmin
                        .createApiKey(new ApiKeyRequest("mine", ApiRole.WORKER, List.of(project)))
                        .projects())
                .containsExactly(project);
    }
}

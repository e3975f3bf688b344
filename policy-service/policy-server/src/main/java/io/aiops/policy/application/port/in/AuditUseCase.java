package io.aiops.policy.application.port.in;

import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.domain.audit.ChainAnchor;
import io.aiops.policy.domain.audit.ChainVerdict;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Verifies, exports and purges the audit trail. */
public interface AuditUseCase {

    /** Entries of one project streamed to a consumer; the caller's access was checked when this was created. */
    interface Export {
        void forEach(Consumer<StoredAuditEntry> sink);
    }

    AuditVerification verify(String project, ApiPrincipal actor);

    /** Verifies the chain against the given anchors as well as the published ones. */
    AuditVerification verify(String project, List<ChainAnchor> anchors, ApiPrincipal actor);

    /**
     * Signs every project's chain head with the anchor key and publishes them to the anchor stores; returns them.
     * Organisation admins only.
     */
    List<ChainAnchor> publishAnchors(ApiPrincipal actor);

    /** Checks access and returns the entries that occurred in [from, to), to be streamed later. */
    Export export(String project, Instant from, Instant to, ApiPrincipal actor);

    /** Verifies every project's chain (the scheduled check). */
    List<ChainVerdict> verifyAll();

    /** Removes request/response text and audit payloads past each project's retention; returns payloads removed. */
    int purgeExpired();
}

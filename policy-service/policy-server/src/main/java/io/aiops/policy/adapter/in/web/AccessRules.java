package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.ApiRole;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which roles may call which endpoint; ADMIN may call every endpoint. Project scope is checked by the use cases,
 * which know which project the data belongs to.
 */
final class AccessRules {

    private AccessRules() {}

    static Set<ApiRole> allowedRoles(String method, String path) {
        if ("POST".equals(method)
                && (path.equals("/api/v1/decisions")
                        || path.matches("/api/v1/decisions/[^/]+/outcome")
                        || path.equals("/api/v1/providers/health")
                        || path.equals("/api/v1/unapproved-calls")
                        // feedback comes from a workflow step, which runs with the worker's key
                        || path.equals("/api/v1/feedback")
                        || path.matches("/api/v1/calls/[^/]+/feedback"))) {
            return EnumSet.of(ApiRole.ADMIN, ApiRole.WORKER);
        }
        if (path.startsWith("/api/v1/audit/")) {
            // the audit trail holds request and response text: readers of reports, not workers
            return EnumSet.of(ApiRole.ADMIN, ApiRole.VIEWER);
        }
        if (path.equals("/api/v1/alerts/signing-key") || path.equals("/api/v1/alerts/signing-key/rotate")) {
            // whoever holds it can sign alerts the project's receivers trust
            return EnumSet.of(ApiRole.ADMIN);
        }
        if ("GET".equals(method) && path.matches("/api/v1/projects/[^/]+/judge/effective")) {
            // the worker reads which calls to have judged, and by whom
            return EnumSet.of(ApiRole.ADMIN, ApiRole.WORKER, ApiRole.VIEWER);
        }
        if ("GET".equals(method) && path.startsWith("/api/v1/policy-bundles/")) {
            // the export holds every setting at once (webhook URLs, redaction patterns, prompts): not for workers
            return EnumSet.of(ApiRole.ADMIN, ApiRole.VIEWER);
        }
        if (path.startsWith("/api/v1/projects/")) {
            return "GET".equals(method) ? EnumSet.of(ApiRole.ADMIN, ApiRole.VIEWER) : EnumSet.of(ApiRole.ADMIN);
        }
        if ("GET".equals(method) || "HEAD".equals(method)) {
            // workers read the ledger and catalog too (a redelivered job looks up what was recorded)
            return EnumSet.of(ApiRole.ADMIN, ApiRole.WORKER, ApiRole.VIEWER);
        }
        return EnumSet.of(ApiRole.ADMIN);
    }
}

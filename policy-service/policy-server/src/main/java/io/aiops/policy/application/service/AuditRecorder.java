package io.aiops.policy.application.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.CanonicalJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes policy changes to the audit trail: who (API key id and name), what (subject and id), and the state before
 * and after as JSON. Changes without a project go to the chain of {@link #ORGANISATION}.
 */
public class AuditRecorder {

    /** The chain of organisation-wide changes: catalog prices, API keys, budgets and policies of no project. */
    public static final String ORGANISATION = "_organisation";

    private final AuditLog log;

    /**
     * The change set the policy changes recorded on this thread belong to: the use cases that record them run
     * unchanged inside a bundle's transaction, on the request's thread, and each of their entries names the bundle.
     */
    private final ThreadLocal<UUID> changeSet = new ThreadLocal<>();

    public AuditRecorder(AuditLog log) {
        this.log = log;
    }

    /**
     * Runs {@code work} with every policy change it records marked {@code "changeSet": id}, so the entries of one
     * policy bundle, in whichever project's chain, are found together.
     */
    public <T> T inChangeSet(UUID id, Supplier<T> work) {
        UUID outer = changeSet.get();
        changeSet.set(id);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                changeSet.remove();
            } else {
                changeSet.set(outer);
            }
        }
    }

    /**
     * Appends one policy change in the caller's transaction; {@code before} is null for a creation. The person the
     * actor's key acted for, if it said so, is in the payload as {@code onBehalfOf}.
     */
    public void policyChange(
            ApiPrincipal actor, String project, String subject, String id, Object before, Object after, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("subject", subject);
        payload.put("id", id);
        payload.put("before", tree(before));
        payload.put("after", tree(after));
        if (actor.onBehalfOf() != null) {
            payload.put("onBehalfOf", CanonicalJson.wellFormed(actor.onBehalfOf()));
        }
        UUID set = changeSet.get();
        if (set != null) {
            payload.put("changeSet", set.toString());
        }
        log.append(List.of(new NewAuditEntry(
                project == null ? ORGANISATION : project,
                AuditKind.POLICY_CHANGE,
                now,
                actor.keyId(),
                actor.name(),
                ProcessCoordinates.NONE,
                null,
                null,
                null,
                payload)));
    }

    /** Appends that {@code actor} read the secret {@code subject}/{@code id} (never the secret itself). */
    public void secretRead(ApiPrincipal actor, String project, String subject, String id, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("subject", subject);
        payload.put("id", id);
        log.append(List.of(new NewAuditEntry(
                project == null ? ORGANISATION : project,
                AuditKind.SECRET_READ,
                now,
                actor.keyId(),
                actor.name(),
                ProcessCoordinates.NONE,
                null,
                null,
                null,
                payload)));
    }

    /** A value as a canonical JSON tree: objects, lists, strings, integers, booleans, decimals as plain strings. */
    static Object tree(Object value) {
        if (value == null) {
            return null;
        }
        return fromNode(PolicyClient.JSON.valueToTree(value));
    }

    private static Object fromNode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), fromNode(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(fromNode(element)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return new BigDecimal(node.asText());
        }
        return CanonicalJson.wellFormed(node.asText());
    }
}

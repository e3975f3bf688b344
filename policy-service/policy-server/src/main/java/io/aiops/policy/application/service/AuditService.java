package io.aiops.policy.application.service;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.AnchorStore;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.ChainAnchor;
import io.aiops.policy.domain.audit.ChainVerdict;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Transactional;

/**
 * Verifies chains (on request and on a schedule), exports them for offline verification, and runs the retention
 * purge: payloads past a project's retention are removed, leaving tombstones, and a purge record appended to the
 * same chain says what was removed, so the chain still verifies and the removal itself is on record.
 */
public class AuditService implements AuditUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);

    private final AuditLog log;
    private final ProjectSettingsStore settings;
    private final Clock clock;
    private final byte[] anchorKey;
    private final List<AnchorStore> anchorStores;

    public AuditService(AuditLog log, ProjectSettingsStore settings, Clock clock) {
        this(log, settings, clock, null, List.of());
    }

    /**
     * @param anchorKey the key chain heads are signed with when published (null: anchoring off); never stored in the
     *     database
     * @param anchorStores where heads are published, and read back from for verification
     */
    public AuditService(
            AuditLog log,
            ProjectSettingsStore settings,
            Clock clock,
            byte[] anchorKey,
            List<AnchorStore> anchorStores) {
        this.log = log;
        this.settings = settings;
        this.clock = clock;
        this.anchorKey = anchorKey == null || anchorKey.length == 0 ? null : anchorKey.clone();
        this.anchorStores = List.copyOf(anchorStores);
    }

    @Override
    public List<ChainAnchor> publishAnchors(ApiPrincipal actor) {
        ProjectAccess.require(actor, null, null);
        if (anchorKey == null) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    null,
                    "no anchor key is configured (aiops.audit.anchor-key): chain heads are not published");
        }
        Instant now = clock.instant();
        List<ChainAnchor> anchors = new ArrayList<>();
        for (String project : log.projects()) {
            log.head(project)
                    .ifPresent(head ->
                            anchors.add(ChainAnchor.sign(project, head.lastSeq(), head.lastHash(), now, anchorKey)));
        }
        List<String> failed = new ArrayList<>();
        for (AnchorStore store : anchorStores) {
            try {
                store.publish(anchors);
            } catch (IOException | RuntimeException e) {
                LOG.error("Audit anchors could not be published to {}: {}", store.name(), e.getMessage());
                failed.add(store.name() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty() && failed.size() == anchorStores.size()) {
            throw new IllegalStateException("audit anchors were published nowhere: " + String.join("; ", failed));
        }
        return anchors;
    }

    @Override
    public AuditVerification verify(String project, List<ChainAnchor> anchors, ApiPrincipal actor) {
        requireProject(project);
        ProjectAccess.require(actor, project.equals(AuditRecorder.ORGANISATION) ? null : project, "project");
        for (int i = 0; i < anchors.size(); i++) {
            if (!project.equals(anchors.get(i).project())) {
                throw RequestRejected.invalid(
                        "[" + i + "].project",
                        "[" + i + "].project: an anchor of " + anchors.get(i).project() + ", not of " + project);
            }
        }
        if (!anchors.isEmpty() && anchorKey == null) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    null,
                    "no anchor key is configured (aiops.audit.anchor-key): anchors cannot be checked");
        }
        ChainVerdict v = verdict(project, anchors);
        return new AuditVerification(
                v.project(),
                v.intact(),
                v.entriesChecked(),
                v.lastSeq(),
                v.lastHash(),
                v.brokenSeq(),
                v.brokenEntryId(),
                v.problem());
    }

    @Override
    public AuditVerification verify(String project, ApiPrincipal actor) {
        requireProject(project);
        ProjectAccess.require(actor, project.equals(AuditRecorder.ORGANISATION) ? null : project, "project");
        ChainVerdict v = verdict(project);
        return new AuditVerification(
                v.project(),
                v.intact(),
                v.entriesChecked(),
                v.lastSeq(),
                v.lastHash(),
                v.brokenSeq(),
                v.brokenEntryId(),
                v.problem());
    }

    @Override
    public Export export(String project, Instant from, Instant to, ApiPrincipal actor) {
        requireProject(project);
        ProjectAccess.require(actor, project.equals(AuditRecorder.ORGANISATION) ? null : project, "project");
        if (from != null && to != null && !from.isBefore(to)) {
            throw RequestRejected.invalid("to", "to must be after from");
        }
        return sink -> log.export(project, from, to, sink);
    }

    @Override
    public List<ChainVerdict> verifyAll() {
        List<ChainVerdict> verdicts = new ArrayList<>();
        for (String project : log.projects()) {
            verdicts.add(verdict(project));
        }
        return verdicts;
    }

    private ChainVerdict verdict(String project) {
        return verdict(project, List.of());
    }

    /** The chain checked against {@code given} anchors and those the anchor stores hold for it. */
    private ChainVerdict verdict(String project, List<ChainAnchor> given) {
        List<ChainAnchor> anchors = new ArrayList<>(given);
        if (anchorKey != null) {
            for (AnchorStore store : anchorStores) {
                try {
                    anchors.addAll(store.read(project));
                } catch (IOException | RuntimeException e) {
                    // the chain cannot be checked against what was published: not reported as intact
                    LOG.warn(
                            "Audit anchors of {} could not be read from {}: {}", project, store.name(), e.getMessage());
                    return unchecked(
                            project,
                            null,
                            "the anchors published to " + store.name() + " could not be read: " + e.getMessage());
                }
            }
        }
        List<ChainAnchor> trusted = new ArrayList<>();
        String keyId = anchorKey == null ? null : ChainAnchor.keyId(anchorKey);
        for (ChainAnchor anchor : anchors) {
            if (!anchor.keyId().equals(keyId)) {
                continue; // signed with another (an earlier) key: cannot be checked here
            }
            if (!anchor.signedWith(anchorKey)) {
                return unchecked(
                        project,
                        anchor.seq(),
                        "the anchor of entry " + anchor.seq() + " published at " + anchor.anchoredAt()
                                + " does not carry this service's signature: the anchor was changed");
            }
            trusted.add(anchor);
        }
        // the head is read first: entries appended while the chain is walked lie beyond it and are not checked
        Optional<ChainVerifier.Head> head = log.head(project);
        return log.readChain(
                project, entries -> ChainVerifier.verify(project, limitTo(entries, head), head.orElse(null), trusted));
    }

    /** Not intact, before the chain was walked: what the anchors say cannot be trusted or read. */
    private ChainVerdict unchecked(String project, Long seq, String problem) {
        Optional<ChainVerifier.Head> head = log.head(project);
        return new ChainVerdict(
                project,
                false,
                0,
                head.map(ChainVerifier.Head::lastSeq).orElse(0L),
                head.map(ChainVerifier.Head::lastHash).orElse(null),
                seq,
                null,
                problem);
    }

    private static Iterator<StoredAuditEntry> limitTo(
            Iterator<StoredAuditEntry> entries, Optional<ChainVerifier.Head> head) {
        if (head.isEmpty()) {
            return entries;
        }
        long last = head.get().lastSeq();
        return new Iterator<>() {
            private StoredAuditEntry next = advance();

            private StoredAuditEntry advance() {
                return entries.hasNext() ? entries.next() : null;
            }

            @Override
            public boolean hasNext() {
                // entries beyond the head were appended after it was read; the next verification covers them
                return next != null && next.seq() <= last;
            }

            @Override
            public StoredAuditEntry next() {
                StoredAuditEntry current = next;
                next = advance();
                return current;
            }
        };
    }

    @Override
    @Transactional
    public int purgeExpired() {
        Instant now = clock.instant();
        int removed = 0;
        for (Map.Entry<String, Integer> retention :
                settings.retentionByProject().entrySet()) {
            String project = retention.getKey();
            Instant cutoff = now.minus(Duration.ofDays(retention.getValue()));
            Optional<Long> throughSeq = log.lastSeqBefore(project, cutoff);
            int payloads = throughSeq
                    .map(seq -> log.purgePayloads(project, cutoff, seq, now))
                    .orElse(0);
            int callTexts = settings.purgeCallTexts(project, cutoff);
            if (payloads + callTexts == 0) {
                continue;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("retentionDays", retention.getValue());
            payload.put("cutoff", AuditEnvelope.formatTime(cutoff));
            payload.put("purgedThroughSeq", throughSeq.orElse(0L));
            payload.put("auditPayloadsRemoved", payloads);
            payload.put("callTextsRemoved", callTexts);
            log.append(List.of(new NewAuditEntry(
                    project,
                    AuditKind.RETENTION_PURGE,
                    now,
                    null,
                    ApiPrincipal.SYSTEM.name(),
                    ProcessCoordinates.NONE,
                    null,
                    null,
                    null,
                    payload)));
            removed += payloads;
        }
        return removed;
    }

    private static void requireProject(String project) {
        if (project == null || project.isBlank()) {
            throw RequestRejected.invalid("project", "project is required");
        }
    }
}

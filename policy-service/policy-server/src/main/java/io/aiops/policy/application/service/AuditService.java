package io.aiops.policy.application.service;

import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.ChainVerdict;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.transaction.annotation.Transactional;

/**
 * Verifies chains (on request and on a schedule), exports them for offline verification, and runs the retention
 * purge: payloads past a project's retention are removed, leaving tombstones, and a purge record appended to the
 * same chain says what was removed, so the chain still verifies and the removal itself is on record.
 */
public class AuditService implements AuditUseCase {

  private final AuditLog log;
  private final ProjectSettingsStore settings;
  private final Clock clock;

  public AuditService(AuditLog log, ProjectSettingsStore settings, Clock clock) {
    this.log = log;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public AuditVerification verify(String project, ApiPrincipal actor) {
    requireProject(project);
    ProjectAccess.require(actor, project.equals(AuditRecorder.ORGANISATION) ? null : project, "project");
    ChainVerdict v = verdict(project);
    return new AuditVerification(v.project(), v.intact(), v.entriesChecked(), v.lastSeq(), v.lastHash(),
        v.brokenSeq(), v.brokenEntryId(), v.problem());
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
    // the head is read first: entries appended while the chain is walked lie beyond it and are not checked
    Optional<ChainVerifier.Head> head = log.head(project);
    return log.readChain(project, entries -> ChainVerifier.verify(project, limitTo(entries, head), head.orElse(null)));
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
    for (Map.Entry<String, Integer> retention : settings.retentionByProject().entrySet()) {
      String project = retention.getKey();
      Instant cutoff = now.minus(Duration.ofDays(retention.getValue()));
      Optional<Long> throughSeq = log.lastSeqBefore(project, cutoff);
      int payloads = throughSeq.map(seq -> log.purgePayloads(project, cutoff, seq, now)).orElse(0);
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
      log.append(List.of(new NewAuditEntry(project, AuditKind.RETENTION_PURGE, now, null,
          ApiPrincipal.SYSTEM.name(), null, null, null, null, null, null, null, null, payload)));
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

package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERT_SIGNING_GENERATIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.POLICY_UNAVAILABLE_SETTINGS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.REDACTION_SETTINGS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RETENTION_SETTINGS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.SERVICE_SECRETS;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.RedactionSettingsRecord;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.redaction.PiiKind;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.port.out.SettingsOwner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Settings in {@code redaction_settings}, {@code retention_settings}, {@code policy_unavailable_settings} and
 * {@code service_secrets}.
 */
@Repository
class JooqProjectSettingsStore implements ProjectSettingsStore {

    private static final TypeReference<List<String>> PATTERNS = new TypeReference<>() {};
    private static final TypeReference<List<PiiKind>> KINDS = new TypeReference<>() {};
    private static final String PROJECT_DEFAULT = "";

    private final DSLContext db;

    JooqProjectSettingsStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<RedactionSettings> redaction(String project, String bpmnProcessId) {
        return db.selectFrom(REDACTION_SETTINGS)
                .where(REDACTION_SETTINGS
                        .PROJECT
                        .eq(project)
                        .and(REDACTION_SETTINGS.BPMN_PROCESS_ID.in(
                                PROJECT_DEFAULT, bpmnProcessId == null ? "" : bpmnProcessId)))
                // the workflow's row ('' sorts first) wins over the project's
                .orderBy(REDACTION_SETTINGS.BPMN_PROCESS_ID.desc())
                .limit(1)
                .fetchOptional(JooqProjectSettingsStore::redactionSettings);
    }

    @Override
    public Optional<RedactionSettings> ownRedaction(String project, String bpmnProcessId) {
        return db.selectFrom(REDACTION_SETTINGS)
                .where(REDACTION_SETTINGS
                        .PROJECT
                        .eq(project)
                        .and(REDACTION_SETTINGS.BPMN_PROCESS_ID.eq(
                                bpmnProcessId == null ? PROJECT_DEFAULT : bpmnProcessId)))
                .fetchOptional(JooqProjectSettingsStore::redactionSettings);
    }

    private static RedactionSettings redactionSettings(RedactionSettingsRecord r) {
        return new RedactionSettings(
                RedactionMode.valueOf(r.getMode()),
                ColumnValues.fromJsonb(r.getCustomPatterns(), PATTERNS),
                r.getKinds() == null ? null : ColumnValues.fromJsonb(r.getKinds(), KINDS));
    }

    @Override
    public void putRedaction(String project, String bpmnProcessId, RedactionSettings settings, Instant now) {
        String workflow = bpmnProcessId == null ? PROJECT_DEFAULT : bpmnProcessId;
        db.insertInto(REDACTION_SETTINGS)
                .set(REDACTION_SETTINGS.PROJECT, project)
                .set(REDACTION_SETTINGS.BPMN_PROCESS_ID, workflow)
                .set(REDACTION_SETTINGS.MODE, settings.mode().name())
                .set(REDACTION_SETTINGS.CUSTOM_PATTERNS, ColumnValues.toJsonb(settings.customPatterns()))
                .set(REDACTION_SETTINGS.KINDS, settings.kinds() == null ? null : ColumnValues.toJsonb(settings.kinds()))
                .set(REDACTION_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .onConflict(REDACTION_SETTINGS.PROJECT, REDACTION_SETTINGS.BPMN_PROCESS_ID)
                .doUpdate()
                .set(REDACTION_SETTINGS.MODE, settings.mode().name())
                .set(REDACTION_SETTINGS.CUSTOM_PATTERNS, ColumnValues.toJsonb(settings.customPatterns()))
                .set(REDACTION_SETTINGS.KINDS, settings.kinds() == null ? null : ColumnValues.toJsonb(settings.kinds()))
                .set(REDACTION_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .execute();
    }

    @Override
    public List<SettingsOwner> redactionOwners() {
        return db.select(REDACTION_SETTINGS.PROJECT, REDACTION_SETTINGS.BPMN_PROCESS_ID)
                .from(REDACTION_SETTINGS)
                .orderBy(REDACTION_SETTINGS.PROJECT, REDACTION_SETTINGS.BPMN_PROCESS_ID)
                .fetch(r -> new SettingsOwner(r.value1(), r.value2().equals(PROJECT_DEFAULT) ? null : r.value2()));
    }

    @Override
    public Optional<Integer> retentionDays(String project) {
        return db.select(RETENTION_SETTINGS.RETENTION_DAYS)
                .from(RETENTION_SETTINGS)
                .where(RETENTION_SETTINGS.PROJECT.eq(project))
                .fetchOptional(RETENTION_SETTINGS.RETENTION_DAYS);
    }

    @Override
    public void putRetention(String project, int days, Instant now) {
        db.insertInto(RETENTION_SETTINGS)
                .set(RETENTION_SETTINGS.PROJECT, project)
                .set(RETENTION_SETTINGS.RETENTION_DAYS, days)
                .set(RETENTION_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .onConflict(RETENTION_SETTINGS.PROJECT)
                .doUpdate()
                .set(RETENTION_SETTINGS.RETENTION_DAYS, days)
                .set(RETENTION_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .execute();
    }

    @Override
    public Optional<OnPolicyUnavailable> onPolicyUnavailable(String project) {
        return db.select(POLICY_UNAVAILABLE_SETTINGS.MODE)
                .from(POLICY_UNAVAILABLE_SETTINGS)
                .where(POLICY_UNAVAILABLE_SETTINGS.PROJECT.eq(project))
                .fetchOptional(r -> OnPolicyUnavailable.valueOf(r.value1()));
    }

    @Override
    public void putOnPolicyUnavailable(String project, OnPolicyUnavailable mode, Instant now) {
        db.insertInto(POLICY_UNAVAILABLE_SETTINGS)
                .set(POLICY_UNAVAILABLE_SETTINGS.PROJECT, project)
                .set(POLICY_UNAVAILABLE_SETTINGS.MODE, mode.name())
                .set(POLICY_UNAVAILABLE_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .onConflict(POLICY_UNAVAILABLE_SETTINGS.PROJECT)
                .doUpdate()
                .set(POLICY_UNAVAILABLE_SETTINGS.MODE, mode.name())
                .set(POLICY_UNAVAILABLE_SETTINGS.UPDATED_AT, ColumnValues.utc(now))
                .execute();
    }

    @Override
    public List<String> policyUnavailableProjects() {
        return db.select(POLICY_UNAVAILABLE_SETTINGS.PROJECT)
                .from(POLICY_UNAVAILABLE_SETTINGS)
                .orderBy(POLICY_UNAVAILABLE_SETTINGS.PROJECT)
                .fetch(POLICY_UNAVAILABLE_SETTINGS.PROJECT);
    }

    @Override
    public Optional<SigningGeneration> signingGeneration(String project) {
        return db.selectFrom(ALERT_SIGNING_GENERATIONS)
                .where(ALERT_SIGNING_GENERATIONS.PROJECT.eq(project == null ? PROJECT_DEFAULT : project))
                .fetchOptional(r -> new SigningGeneration(r.getGeneration(), ColumnValues.instant(r.getRotatedAt())));
    }

    @Override
    public SigningGeneration rotateSigningKey(String project, Instant now) {
        return db.insertInto(ALERT_SIGNING_GENERATIONS)
                .set(ALERT_SIGNING_GENERATIONS.PROJECT, project == null ? PROJECT_DEFAULT : project)
                .set(ALERT_SIGNING_GENERATIONS.GENERATION, 1)
                .set(ALERT_SIGNING_GENERATIONS.ROTATED_AT, ColumnValues.utc(now))
                .onConflict(ALERT_SIGNING_GENERATIONS.PROJECT)
                .doUpdate()
                .set(ALERT_SIGNING_GENERATIONS.GENERATION, ALERT_SIGNING_GENERATIONS.GENERATION.plus(1))
                .set(ALERT_SIGNING_GENERATIONS.ROTATED_AT, ColumnValues.utc(now))
                .returning()
                .fetchOne(r -> new SigningGeneration(r.getGeneration(), ColumnValues.instant(r.getRotatedAt())));
    }

    @Override
    public Map<String, Integer> retentionByProject() {
        Map<String, Integer> result = new LinkedHashMap<>();
        db.selectFrom(RETENTION_SETTINGS)
                .orderBy(RETENTION_SETTINGS.PROJECT)
                .forEach(r -> result.put(r.getProject(), r.getRetentionDays()));
        return result;
    }

    @Override
    public byte[] secret(String name, byte[] candidate, Instant now) {
        db.insertInto(SERVICE_SECRETS)
                .set(SERVICE_SECRETS.NAME, name)
                .set(SERVICE_SECRETS.VALUE, candidate)
                .set(SERVICE_SECRETS.CREATED_AT, ColumnValues.utc(now))
                .onConflict(SERVICE_SECRETS.NAME)
                .doNothing()
                .execute();
        return db.select(SERVICE_SECRETS.VALUE)
                .from(SERVICE_SECRETS)
                .where(SERVICE_SECRETS.NAME.eq(name))
                .fetchSingle(SERVICE_SECRETS.VALUE);
    }

    @Override
    public int purgeCallTexts(String project, Instant cutoff) {
        return db.update(CALLS)
                .set(CALLS.REQUEST_TEXT, DSL.castNull(String.class))
                .set(CALLS.RESPONSE_TEXT, DSL.castNull(String.class))
                .where(CALLS.CREATED_AT
                        .lt(ColumnValues.utc(cutoff))
                        .and(CALLS.REQUEST_TEXT.isNotNull().or(CALLS.RESPONSE_TEXT.isNotNull()))
                        .and(CALLS.DECISION_ID.in(
                                DSL.select(DECISIONS.ID).from(DECISIONS).where(DECISIONS.PROJECT.eq(project)))))
                .execute();
    }
}

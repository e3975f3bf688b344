package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERT_RULES;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.AlertRulesRecord;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.domain.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Alert rules in the {@code alert_rules} table; a window is kept in seconds and shown as an ISO-8601 duration. */
@Repository
class JooqAlertRuleStore implements AlertRuleStore {

    private final DSLContext db;

    JooqAlertRuleStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void upsert(AlertRule rule, Instant now) {
        AlertRulesRecord row = db.newRecord(ALERT_RULES);
        row.setId(rule.id());
        row.setProject(rule.project());
        row.setKind(rule.kind().name());
        row.setBudgetId(rule.budgetId());
        row.setBpmnProcessId(rule.bpmnProcessId());
        row.setProvider(rule.provider());
        row.setModel(rule.model());
        row.setThresholdUsd(rule.thresholdUsd());
        row.setThresholdPercent(rule.thresholdPercent());
        row.setWindowSeconds(
                rule.window() == null ? null : Duration.parse(rule.window()).getSeconds());
        row.setMinAttempts(rule.minAttempts());
        row.setMinCalls(rule.minCalls());
        row.setWebhookUrl(rule.webhookUrl());
        row.setZeebeMessageName(rule.zeebeMessageName());
        row.setScoreName(rule.scoreName());
        row.setUpdatedAt(ColumnValues.utc(now));
        AlertRulesRecord created = row.copy();
        created.setId(rule.id());
        created.setCreatedAt(ColumnValues.utc(now));
        // created_at stays as first written: NEW_MODEL_FOR_WORKFLOW counts first uses from it
        db.insertInto(ALERT_RULES)
                .set(created)
                .onConflict(ALERT_RULES.ID)
                .doUpdate()
                .set(row)
                // a retired rule put again is a new rule: its first-use baseline starts now
                .set(
                        ALERT_RULES.CREATED_AT,
                        DSL.when(ALERT_RULES.RETIRED_AT.isNotNull(), DSL.val(ColumnValues.utc(now)))
                                .otherwise(ALERT_RULES.CREATED_AT))
                .setNull(ALERT_RULES.RETIRED_AT)
                .execute();
    }

    @Override
    public Optional<StoredRule> findById(String id) {
        return db.selectFrom(ALERT_RULES).where(ALERT_RULES.ID.eq(id)).fetchOptional(JooqAlertRuleStore::toRule);
    }

    @Override
    public boolean retire(String id, Instant now) {
        return db.update(ALERT_RULES)
                        .set(ALERT_RULES.RETIRED_AT, ColumnValues.utc(now))
                        .where(ALERT_RULES.ID.eq(id))
                        .and(ALERT_RULES.RETIRED_AT.isNull())
                        .execute()
                == 1;
    }

    @Override
    public List<StoredRule> findByKinds(List<AlertRule.AlertKind> kinds) {
        return db.selectFrom(ALERT_RULES)
                .where(ALERT_RULES.KIND.in(kinds.stream().map(Enum::name).toList()))
                .and(ALERT_RULES.RETIRED_AT.isNull())
                .orderBy(ALERT_RULES.ID)
                .fetch(JooqAlertRuleStore::toRule);
    }

    @Override
    public List<StoredRule> findAll() {
        return db.selectFrom(ALERT_RULES)
                .where(ALERT_RULES.RETIRED_AT.isNull())
                .orderBy(ALERT_RULES.ID)
                .fetch(JooqAlertRuleStore::toRule);
    }

    private static StoredRule toRule(AlertRulesRecord r) {
        return new StoredRule(
                new AlertRule(
                        r.getId(),
                        r.getProject(),
                        AlertRule.AlertKind.valueOf(r.getKind()),
                        r.getBudgetId(),
                        r.getBpmnProcessId(),
                        r.getProvider(),
                        r.getModel(),
                        Money.shown(r.getThresholdUsd()),
                        Money.shown(r.getThresholdPercent()),
                        r.getWindowSeconds() == null
                                ? null
                                : Duration.ofSeconds(r.getWindowSeconds()).toString(),
                        r.getMinAttempts(),
                        r.getMinCalls(),
                        r.getWebhookUrl(),
                        r.getZeebeMessageName(),
                        r.getScoreName()),
                ColumnValues.instant(r.getCreatedAt()),
                r.getRetiredAt() != null);
    }
}

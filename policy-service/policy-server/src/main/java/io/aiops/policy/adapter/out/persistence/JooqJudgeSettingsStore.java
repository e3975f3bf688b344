package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.JUDGE_SETTINGS;

import io.aiops.policy.application.port.out.JudgeSettingsStore;
import io.aiops.policy.application.port.out.SettingsOwner;
import io.aiops.policy.domain.quality.JudgePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Judge settings in {@code judge_settings}; a project's own row has the workflow ''. */
@Repository
class JooqJudgeSettingsStore implements JudgeSettingsStore {

    private final DSLContext db;

    JooqJudgeSettingsStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void put(String project, String bpmnProcessId, JudgePolicy p, Instant now) {
        var row = db.newRecord(JUDGE_SETTINGS);
        row.setProject(project);
        row.setBpmnProcessId(bpmnProcessId == null ? "" : bpmnProcessId);
        row.setSampleRate(p.sampleRate());
        row.setProvider(p.provider());
        row.setModel(p.model());
        row.setRubric(p.rubric());
        row.setCriteria(p.criteria());
        row.setScoreName(p.scoreName());
        row.setMaxOutputTokens(p.maxOutputTokens());
        row.setUpdatedAt(ColumnValues.utc(now));
        db.insertInto(JUDGE_SETTINGS)
                .set(row)
                .onConflict(JUDGE_SETTINGS.PROJECT, JUDGE_SETTINGS.BPMN_PROCESS_ID)
                .doUpdate()
                .set(row)
                .execute();
    }

    @Override
    public Optional<JudgePolicy> find(String project, String bpmnProcessId) {
        return db.selectFrom(JUDGE_SETTINGS)
                .where(JUDGE_SETTINGS.PROJECT.eq(project))
                .and(JUDGE_SETTINGS.BPMN_PROCESS_ID.eq(bpmnProcessId == null ? "" : bpmnProcessId))
                .fetchOptional(r -> new JudgePolicy(
                        r.getSampleRate(),
                        r.getProvider(),
                        r.getModel(),
                        r.getRubric(),
                        r.getCriteria(),
                        r.getScoreName(),
                        r.getMaxOutputTokens()));
    }

    @Override
    public List<SettingsOwner> owners() {
        return db.select(JUDGE_SETTINGS.PROJECT, JUDGE_SETTINGS.BPMN_PROCESS_ID)
                .from(JUDGE_SETTINGS)
                .orderBy(JUDGE_SETTINGS.PROJECT, JUDGE_SETTINGS.BPMN_PROCESS_ID)
                .fetch(r -> new SettingsOwner(r.value1(), r.value2().isEmpty() ? null : r.value2()));
    }
}

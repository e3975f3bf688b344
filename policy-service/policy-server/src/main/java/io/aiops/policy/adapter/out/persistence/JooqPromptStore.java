package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.PROMPT_LABELS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.PROMPT_VERSIONS;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.PromptVersionsRecord;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.domain.prompt.StoredPrompt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The registry in {@code prompt_versions} (immutable, guarded by a trigger) and {@code prompt_labels}. */
@Repository
class JooqPromptStore implements PromptStore {

    private final DSLContext db;

    JooqPromptStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void lock(String name) {
        db.select(DSL.field("pg_advisory_xact_lock(hashtextextended({0}, 7))", name))
                .fetch();
    }

    @Override
    public Optional<StoredPrompt> latest(String name) {
        return db.selectFrom(PROMPT_VERSIONS)
                .where(PROMPT_VERSIONS.NAME.eq(name))
                .orderBy(PROMPT_VERSIONS.VERSION.desc())
                .limit(1)
                .fetchOptional(JooqPromptStore::toPrompt);
    }

    @Override
    public List<String> names() {
        return db.selectDistinct(PROMPT_VERSIONS.NAME)
                .from(PROMPT_VERSIONS)
                .orderBy(PROMPT_VERSIONS.NAME)
                .fetch(PROMPT_VERSIONS.NAME);
    }

    @Override
    public Optional<StoredPrompt> version(String name, int version) {
        return db.selectFrom(PROMPT_VERSIONS)
                .where(PROMPT_VERSIONS.NAME.eq(name).and(PROMPT_VERSIONS.VERSION.eq(version)))
                .fetchOptional(JooqPromptStore::toPrompt);
    }

    @Override
    public List<StoredPrompt> versions(String name) {
        return db.selectFrom(PROMPT_VERSIONS)
                .where(PROMPT_VERSIONS.NAME.eq(name))
                .orderBy(PROMPT_VERSIONS.VERSION)
                .fetch(JooqPromptStore::toPrompt);
    }

    @Override
    public Optional<Integer> labelled(String name, String label) {
        return db.select(PROMPT_LABELS.VERSION)
                .from(PROMPT_LABELS)
                .where(PROMPT_LABELS.NAME.eq(name).and(PROMPT_LABELS.LABEL.eq(label)))
                .fetchOptional(PROMPT_LABELS.VERSION);
    }

    @Override
    public Map<Integer, List<String>> labels(String name) {
        Map<Integer, List<String>> labels = new LinkedHashMap<>();
        db.select(PROMPT_LABELS.VERSION, PROMPT_LABELS.LABEL)
                .from(PROMPT_LABELS)
                .where(PROMPT_LABELS.NAME.eq(name))
                .orderBy(PROMPT_LABELS.LABEL)
                .forEach(r -> labels.computeIfAbsent(r.value1(), v -> new ArrayList<>())
                        .add(r.value2()));
        return labels;
    }

    @Override
    public void insert(StoredPrompt p) {
        db.insertInto(PROMPT_VERSIONS)
                .set(PROMPT_VERSIONS.NAME, p.name())
                .set(PROMPT_VERSIONS.VERSION, p.version())
                .set(PROMPT_VERSIONS.PROJECT, p.project())
                .set(PROMPT_VERSIONS.SYSTEM_PROMPT, p.systemPrompt())
                .set(PROMPT_VERSIONS.TEMPLATE, p.template())
                .set(PROMPT_VERSIONS.CREATED_AT, ColumnValues.utc(p.createdAt()))
                .set(PROMPT_VERSIONS.CREATED_BY, p.createdBy())
                .execute();
    }

    @Override
    public void setLabel(String name, String label, int version, Instant now) {
        db.insertInto(PROMPT_LABELS)
                .set(PROMPT_LABELS.NAME, name)
                .set(PROMPT_LABELS.LABEL, label)
                .set(PROMPT_LABELS.VERSION, version)
                .set(PROMPT_LABELS.UPDATED_AT, ColumnValues.utc(now))
                .onConflict(PROMPT_LABELS.NAME, PROMPT_LABELS.LABEL)
                .doUpdate()
                .set(PROMPT_LABELS.VERSION, version)
                .set(PROMPT_LABELS.UPDATED_AT, ColumnValues.utc(now))
                .execute();
    }

    private static StoredPrompt toPrompt(PromptVersionsRecord r) {
        return new StoredPrompt(
                r.getName(),
                r.getVersion(),
                r.getProject(),
                r.getSystemPrompt(),
                r.getTemplate(),
                ColumnValues.instant(r.getCreatedAt()),
                r.getCreatedBy());
    }
}

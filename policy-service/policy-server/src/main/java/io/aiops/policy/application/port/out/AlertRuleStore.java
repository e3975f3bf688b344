package io.aiops.policy.application.port.out;

import io.aiops.policy.api.AlertRule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores alert rules. */
public interface AlertRuleStore {

    /** A rule as stored, with the moment it was first created and whether it is retired. */
    record StoredRule(AlertRule rule, Instant createdAt, boolean retired) {}

    /**
     * Creates the rule (created at {@code now}) or replaces it, keeping its creation time; a retired rule of that id
     * becomes a new rule (created at {@code now}).
     */
    void upsert(AlertRule rule, Instant now);

    /** The rule of that id, retired or not (who owned an id must own it to put it again). */
    Optional<StoredRule> findById(String id);

    /** Retires the rule: no longer evaluated or listed, its fired alerts kept. False when there is no such rule. */
    boolean retire(String id, Instant now);

    /** Rules of the given kinds that are not retired, ordered by id. */
    List<StoredRule> findByKinds(List<AlertRule.AlertKind> kinds);

    /** Every rule that is not retired, ordered by id. */
    List<StoredRule> findAll();
}

package io.aiops.policy.application.port.out;

import io.aiops.policy.api.AlertRule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores alert rules. */
public interface AlertRuleStore {

  /** A rule as stored, with the moment it was first created. */
  record StoredRule(AlertRule rule, Instant createdAt) {}

  /** Creates the rule (created at {@code now}) or replaces it, keeping its creation time. */
  void upsert(AlertRule rule, Instant now);

  Optional<StoredRule> findById(String id);

  /** Rules of the given kinds, ordered by id. */
  List<StoredRule> findByKinds(List<AlertRule.AlertKind> kinds);

  /** Every rule, ordered by id. */
  List<StoredRule> findAll();
}

package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.application.port.out.AlertRuleStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Alert rules in a map by id; a retired rule stays findable by id but is no longer listed. */
public final class InMemoryAlertRuleStore implements AlertRuleStore {

    private final Map<String, StoredRule> rules = new TreeMap<>();

    @Override
    public void upsert(AlertRule rule, Instant now) {
        StoredRule before = rules.get(rule.id());
        Instant createdAt = before == null || before.retired() ? now : before.createdAt();
        rules.put(rule.id(), new StoredRule(rule, createdAt, false));
    }

    @Override
    public Optional<StoredRule> findById(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    @Override
    public boolean retire(String id, Instant now) {
        StoredRule rule = rules.get(id);
        if (rule == null || rule.retired()) {
            return rule != null;
        }
        rules.put(id, new StoredRule(rule.rule(), rule.createdAt(), true));
        return true;
    }

    @Override
    public List<StoredRule> findByKinds(List<AlertRule.AlertKind> kinds) {
        return findAll().stream().filter(r -> kinds.contains(r.rule().kind())).toList();
    }

    @Override
    public List<StoredRule> findAll() {
        return rules.values().stream().filter(r -> !r.retired()).toList();
    }
}

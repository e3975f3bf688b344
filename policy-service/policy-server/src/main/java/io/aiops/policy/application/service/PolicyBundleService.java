package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyBundle;
import io.aiops.policy.api.PolicyBundleDiff;
import io.aiops.policy.api.PolicyBundleDiff.Action;
import io.aiops.policy.api.PolicyBundleDiff.ObjectDiff;
import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.PromptVersion;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.JudgeSettingsUseCase;
import io.aiops.policy.application.port.in.PolicyBundleUseCase;
import io.aiops.policy.application.port.in.ProjectSettingsUseCase;
import io.aiops.policy.application.port.in.PromptUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.RoutingPolicyUseCase;
import io.aiops.policy.application.port.out.JudgeSettingsStore;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import io.aiops.policy.application.port.out.SettingsOwner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Applies policy bundles through the use cases that own each kind of object, so a bundle obeys exactly the rules and
 * access checks of the PUT endpoints, and exports the live policies in the same form. An object whose live form
 * already says what the bundle says is not written (nor audited); one the use case would store unchanged after its
 * own normalisation is rolled back to a savepoint, so applying a bundle twice changes nothing the second time.
 */
public class PolicyBundleService implements PolicyBundleUseCase {

    /** The use cases a bundle writes through, one per kind of object. */
    public record Owners(
            CatalogUseCase catalog,
            RoutingPolicyUseCase routing,
            BudgetUseCase budgets,
            AlertRuleUseCase alertRules,
            ProjectSettingsUseCase settings,
            JudgeSettingsUseCase judges,
            PromptUseCase prompts) {}

    /** Where the export finds the objects the use cases have no list of. */
    public record Listings(
            RoutingPolicyStore routing,
            ProjectSettingsStore settings,
            JudgeSettingsStore judges,
            PromptStore prompts) {}

    private static final String ALERT_RULE = "alert-rule";

    /** Why prune leaves an object of each kind that the API cannot remove. */
    private static final Map<String, String> KEPT_BECAUSE = Map.of(
            "model-price", "catalog prices stay: calls were priced with them",
            "prompt", "prompt versions stay: calls name the version they were built from",
            "budget", "budgets stay: their windows hold the money spent and reserved");

    private static final String NOT_REMOVABLE = "the API has no removal for this kind; change it instead";

    private final Owners owners;
    private final Listings listings;
    private final AuditRecorder audit;
    private final Clock clock;
    private final TransactionOperations transactions;

    public PolicyBundleService(
            Owners owners, Listings listings, AuditRecorder audit, Clock clock, TransactionOperations transactions) {
        this.owners = owners;
        this.listings = listings;
        this.audit = audit;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** An object's identity in a diff. */
    private record Key(String kind, String id) {}

    /**
     * One object of a bundle: its identity, its project (null: organisation-wide), where it stands in the document
     * (and where the fields naming its project and workflow stand), its form as the bundle states it, how its use case
     * writes it and how its live form is read back.
     */
    private record Entry(
            Key key,
            String project,
            String path,
            Map<String, String> ownerPaths,
            Object form,
            Consumer<ApiPrincipal> put,
            Function<ApiPrincipal, Object> live) {}

    /** What happened to one object, with the chain its audit entries belong to. */
    private record Outcome(ObjectDiff diff, String project) {}

    @Override
    public PolicyBundleDiff apply(PolicyBundle bundle, boolean dryRun, boolean prune, ApiPrincipal actor) {
        List<Entry> wanted = entries(checked(bundle));
        UUID changeSet = UUID.randomUUID();
        return audit.inChangeSet(
                changeSet,
                () -> transactions.execute(status -> {
                    PolicyBundleDiff diff = applyIn(status, wanted, prune, actor, dryRun ? null : changeSet);
                    if (dryRun) {
                        status.setRollbackOnly();
                    }
                    return diff;
                }));
    }

    /**
     * The work of {@link #apply} in its transaction; {@code changeSet} null for a dry run, whose work the caller rolls
     * back.
     */
    private PolicyBundleDiff applyIn(
            TransactionStatus status, List<Entry> wanted, boolean prune, ApiPrincipal actor, UUID changeSet) {
        Map<Key, Entry> live = new LinkedHashMap<>();
        for (Entry e : entries(currentIn(actor))) {
            live.put(e.key(), e);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Entry e : wanted) {
            Entry was = live.get(e.key());
            Object before = was == null ? null : was.form();
            if (before != null && FieldChanges.between(before, e.form()).isEmpty()) {
                outcomes.add(outcome(e, Action.UNCHANGED, List.of(), null));
                continue;
            }
            Object savepoint = status.createSavepoint();
            try {
                e.put().accept(actor);
            } catch (RequestRejected rejected) {
                throw located(e, rejected);
            }
            Object after = e.live().apply(actor);
            List<String> fields = before == null ? List.of() : FieldChanges.between(before, after);
            if (before != null && fields.isEmpty()) {
                // the use case normalised the bundle's form into what is live already: nothing to write or audit
                status.rollbackToSavepoint(savepoint);
                outcomes.add(outcome(e, Action.UNCHANGED, List.of(), null));
            } else {
                status.releaseSavepoint(savepoint);
                outcomes.add(outcome(e, before == null ? Action.CREATED : Action.CHANGED, fields, null));
            }
        }
        if (prune) {
            outcomes.addAll(prune(live.values(), wanted, actor));
        }
        boolean changed = outcomes.stream().anyMatch(o -> isChange(o.diff().action()));
        if (changeSet != null && changed) {
            recordChangeSet(changeSet, outcomes, actor);
        }
        return diff(changeSet == null, changed ? changeSet : null, outcomes);
    }

    /** Removes the live objects the bundle does not list where their kind can be removed; lists the others as kept. */
    private List<Outcome> prune(Iterable<Entry> live, List<Entry> wanted, ApiPrincipal actor) {
        Set<Key> listed = wanted.stream().map(Entry::key).collect(Collectors.toSet());
        List<Outcome> outcomes = new ArrayList<>();
        for (Entry e : live) {
            if (listed.contains(e.key())) {
                continue;
            }
            if (e.key().kind().equals(ALERT_RULE)) {
                owners.alertRules().deleteRule(e.key().id(), actor);
                outcomes.add(outcome(e, Action.REMOVED, List.of(), null));
            } else {
                outcomes.add(outcome(
                        e,
                        Action.KEPT,
                        List.of(),
                        KEPT_BECAUSE.getOrDefault(e.key().kind(), NOT_REMOVABLE)));
            }
        }
        return outcomes;
    }

    @Override
    @Transactional(readOnly = true)
    public PolicyBundle current(ApiPrincipal actor) {
        return currentIn(actor);
    }

    private PolicyBundle currentIn(ApiPrincipal actor) {
        List<ModelPrice> prices = owners.catalog().models().stream()
                .map(PolicyBundleService::priceForm)
                .sorted(Comparator.comparing(ModelPrice::provider).thenComparing(ModelPrice::model))
                .toList();
        List<RoutingPolicy> routing = listings.routing().findAll().stream()
                .filter(p -> actor.mayAccess(p.project()))
                .sorted(Comparator.comparing(RoutingPolicy::id))
                .toList();
        List<BudgetDefinition> budgets = owners.budgets().budgets(actor).stream()
                .map(BudgetStatus::budget)
                .toList();
        List<AlertRule> rules = owners.alertRules().listRules(actor);
        List<PromptDefinition> prompts = new ArrayList<>();
        for (String name : listings.prompts().names()) {
            boolean visible = listings.prompts()
                    .latest(name)
                    .map(p -> actor.mayAccess(p.project()))
                    .orElse(false);
            if (visible) {
                prompts.add(promptForm(owners.prompts().latest(name, actor)));
            }
        }
        return new PolicyBundle(prices, routing, budgets, rules, projectsOf(actor), prompts);
    }

    /** One project's settings as they are being collected. */
    private static final class ProjectParts {
        RedactionSettings redaction;
        RetentionSettings retention;
        PolicyUnavailableSettings policyUnavailable;
        JudgeSettings judge;
        final Map<String, RedactionSettings> workflowRedaction = new TreeMap<>();
        final Map<String, JudgeSettings> workflowJudge = new TreeMap<>();
    }

    private List<PolicyBundle.ProjectSettings> projectsOf(ApiPrincipal actor) {
        ProjectSettingsStore settings = listings.settings();
        Map<String, ProjectParts> projects = new TreeMap<>();
        Function<String, ProjectParts> parts = project -> projects.computeIfAbsent(project, p -> new ProjectParts());
        for (SettingsOwner owner : settings.redactionOwners()) {
            if (!actor.mayAccess(owner.project())) {
                continue;
            }
            RedactionSettings own = settings.ownRedaction(owner.project(), owner.bpmnProcessId())
                    .orElseThrow();
            if (owner.bpmnProcessId() == null) {
                parts.apply(owner.project()).redaction = own;
            } else {
                parts.apply(owner.project()).workflowRedaction.put(owner.bpmnProcessId(), own);
            }
        }
        settings.retentionByProject().forEach((project, days) -> {
            if (actor.mayAccess(project)) {
                parts.apply(project).retention = new RetentionSettings(days);
            }
        });
        for (String project : settings.policyUnavailableProjects()) {
            if (actor.mayAccess(project)) {
                parts.apply(project).policyUnavailable = new PolicyUnavailableSettings(
                        settings.onPolicyUnavailable(project).orElseThrow());
            }
        }
        for (SettingsOwner owner : listings.judges().owners()) {
            if (!actor.mayAccess(owner.project())) {
                continue;
            }
            JudgeSettings judge = owners.judges().get(owner.project(), owner.bpmnProcessId(), actor);
            if (owner.bpmnProcessId() == null) {
                parts.apply(owner.project()).judge = judge;
            } else {
                parts.apply(owner.project()).workflowJudge.put(owner.bpmnProcessId(), judge);
            }
        }
        List<PolicyBundle.ProjectSettings> result = new ArrayList<>();
        projects.forEach((project, p) -> {
            TreeMap<String, PolicyBundle.WorkflowSettings> workflows = new TreeMap<>();
            p.workflowRedaction.forEach((wf, r) -> workflows.put(wf, new PolicyBundle.WorkflowSettings(wf, r, null)));
            p.workflowJudge.forEach((wf, j) -> workflows.merge(
                    wf,
                    new PolicyBundle.WorkflowSettings(wf, null, j),
                    (a, b) -> new PolicyBundle.WorkflowSettings(wf, a.redaction(), b.judge())));
            result.add(new PolicyBundle.ProjectSettings(
                    project, p.redaction, p.retention, p.policyUnavailable, p.judge, List.copyOf(workflows.values())));
        });
        return result;
    }

    /**
     * What a bundle needs beyond each kind's own rules: every object named, each one once, and prices without the
     * fields the server sets.
     */
    private static PolicyBundle checked(PolicyBundle bundle) {
        if (bundle == null) {
            throw RequestRejected.invalid(null, "a policy bundle is required");
        }
        Map<Key, String> seen = new HashMap<>();
        for (int i = 0; i < bundle.prices().size(); i++) {
            String path = "prices[" + i + "]";
            ModelPrice price = present(bundle.prices().get(i), path);
            required(price.provider(), path + ".provider", "names the provider of every price");
            required(price.model(), path + ".model", "names the model of every price");
            serverSet(price.version(), path + ".version", "the server numbers price versions");
            serverSet(
                    price.effectiveFrom(),
                    path + ".effectiveFrom",
                    "a bundle states the prices in force now; schedule a future price with"
                            + " PUT /api/v1/models/{provider}/{model}");
            serverSet(price.source(), path + ".source", "a price from a bundle is an operator's price");
            once(seen, new Key("model-price", price.provider() + "/" + price.model()), path + ".model");
        }
        for (int i = 0; i < bundle.routingPolicies().size(); i++) {
            String path = "routingPolicies[" + i + "]";
            RoutingPolicy policy = present(bundle.routingPolicies().get(i), path);
            required(policy.id(), path + ".id", "names every routing policy by its id");
            once(seen, new Key("routing-policy", policy.id()), path + ".id");
        }
        for (int i = 0; i < bundle.budgets().size(); i++) {
            String path = "budgets[" + i + "]";
            BudgetDefinition budget = present(bundle.budgets().get(i), path);
            required(budget.id(), path + ".id", "names every budget by its id");
            once(seen, new Key("budget", budget.id()), path + ".id");
        }
        for (int i = 0; i < bundle.alertRules().size(); i++) {
            String path = "alertRules[" + i + "]";
            AlertRule rule = present(bundle.alertRules().get(i), path);
            required(rule.id(), path + ".id", "names every alert rule by its id");
            once(seen, new Key(ALERT_RULE, rule.id()), path + ".id");
        }
        for (int i = 0; i < bundle.projects().size(); i++) {
            String path = "projects[" + i + "]";
            PolicyBundle.ProjectSettings project = present(bundle.projects().get(i), path);
            required(project.project(), path + ".project", "names the project of its settings");
            once(seen, new Key("project", project.project()), path + ".project");
            for (int j = 0; j < project.workflows().size(); j++) {
                String at = path + ".workflows[" + j + "]";
                PolicyBundle.WorkflowSettings workflow =
                        present(project.workflows().get(j), at);
                required(workflow.bpmnProcessId(), at + ".bpmnProcessId", "names the workflow of its settings");
                once(
                        seen,
                        new Key("workflow", project.project() + "/" + workflow.bpmnProcessId()),
                        at + ".bpmnProcessId");
            }
        }
        for (int i = 0; i < bundle.prompts().size(); i++) {
            String path = "prompts[" + i + "]";
            PromptDefinition prompt = present(bundle.prompts().get(i), path);
            required(prompt.name(), path + ".name", "names every prompt");
            once(seen, new Key("prompt", prompt.name()), path + ".name");
        }
        return bundle;
    }

    private static <T> T present(T entry, String path) {
        if (entry == null) {
            throw RequestRejected.invalid(path, path + " must not be null");
        }
        return entry;
    }

    private static void required(String value, String path, String why) {
        if (value == null || value.isBlank()) {
            throw RequestRejected.invalid(path, path + " is required: a bundle " + why);
        }
    }

    private static void serverSet(Object value, String path, String why) {
        if (value != null) {
            throw RequestRejected.invalid(path, path + " is not part of a bundle: " + why);
        }
    }

    private static void once(Map<Key, String> seen, Key key, String path) {
        String first = seen.putIfAbsent(key, path);
        if (first != null) {
            throw RequestRejected.invalid(
                    path, path + ": " + key.kind() + " " + key.id() + " is listed twice (first at " + first + ")");
        }
    }

    /** Every object of a (checked) bundle in the order it is applied: what others refer to comes first. */
    private List<Entry> entries(PolicyBundle bundle) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < bundle.prices().size(); i++) {
            ModelPrice price = bundle.prices().get(i);
            String provider = price.provider();
            String model = price.model();
            entries.add(new Entry(
                    new Key("model-price", provider + "/" + model),
                    null,
                    "prices[" + i + "]",
                    Map.of(),
                    priceForm(price),
                    actor -> owners.catalog().putModel(provider, model, price, actor),
                    actor -> priceForm(owners.catalog().getModel(provider, model))));
        }
        for (int i = 0; i < bundle.routingPolicies().size(); i++) {
            RoutingPolicy policy = bundle.routingPolicies().get(i);
            entries.add(new Entry(
                    new Key("routing-policy", policy.id()),
                    blankToNull(policy.project()),
                    "routingPolicies[" + i + "]",
                    Map.of(),
                    policy,
                    actor -> owners.routing().putPolicy(policy.id(), policy, actor),
                    actor -> owners.routing().getPolicy(policy.id(), actor)));
        }
        for (int i = 0; i < bundle.budgets().size(); i++) {
            BudgetDefinition budget = bundle.budgets().get(i);
            entries.add(new Entry(
                    new Key("budget", budget.id()),
                    budget.scope() == null ? null : blankToNull(budget.scope().project()),
                    "budgets[" + i + "]",
                    Map.of(),
                    budget,
                    actor -> owners.budgets().putBudget(budget.id(), budget, actor),
                    actor -> owners.budgets().getBudget(budget.id(), actor).budget()));
        }
        for (int i = 0; i < bundle.alertRules().size(); i++) {
            AlertRule rule = bundle.alertRules().get(i);
            entries.add(new Entry(
                    new Key(ALERT_RULE, rule.id()),
                    blankToNull(rule.project()),
                    "alertRules[" + i + "]",
                    Map.of(),
                    rule,
                    actor -> owners.alertRules().putRule(rule.id(), rule, actor),
                    actor -> owners.alertRules().getRule(rule.id(), actor)));
        }
        for (int i = 0; i < bundle.projects().size(); i++) {
            projectEntries(bundle.projects().get(i), "projects[" + i + "]", entries);
        }
        for (int i = 0; i < bundle.prompts().size(); i++) {
            PromptDefinition prompt = bundle.prompts().get(i);
            entries.add(new Entry(
                    new Key("prompt", prompt.name()),
                    blankToNull(prompt.project()),
                    "prompts[" + i + "]",
                    Map.of(),
                    prompt,
                    actor -> owners.prompts().putPrompt(prompt.name(), prompt, actor),
                    actor -> promptForm(owners.prompts().latest(prompt.name(), actor))));
        }
        return entries;
    }

    private void projectEntries(PolicyBundle.ProjectSettings settings, String path, List<Entry> entries) {
        String project = settings.project();
        ProjectSettingsUseCase use = owners.settings();
        ProjectSettingsStore store = listings.settings();
        Map<String, String> owner = Map.of("project", path + ".project");
        if (settings.redaction() != null) {
            entries.add(new Entry(
                    new Key("redaction", project),
                    project,
                    path + ".redaction",
                    owner,
                    settings.redaction(),
                    actor -> use.putRedaction(project, null, settings.redaction(), actor),
                    actor -> store.ownRedaction(project, null).orElse(null)));
        }
        if (settings.retention() != null) {
            entries.add(new Entry(
                    new Key("retention", project),
                    project,
                    path + ".retention",
                    owner,
                    settings.retention(),
                    actor -> use.putRetention(project, settings.retention(), actor),
                    actor -> store.retentionDays(project)
                            .map(RetentionSettings::new)
                            .orElse(null)));
        }
        if (settings.policyUnavailable() != null) {
            entries.add(new Entry(
                    new Key("policy-unavailable", project),
                    project,
                    path + ".policyUnavailable",
                    owner,
                    settings.policyUnavailable(),
                    actor -> use.putPolicyUnavailable(project, settings.policyUnavailable(), actor),
                    actor -> store.onPolicyUnavailable(project)
                            .map(PolicyUnavailableSettings::new)
                            .orElse(null)));
        }
        if (settings.judge() != null) {
            entries.add(new Entry(
                    new Key("judge", project),
                    project,
                    path + ".judge",
                    owner,
                    settings.judge(),
                    actor -> owners.judges().put(project, null, settings.judge(), actor),
                    actor -> owners.judges().get(project, null, actor)));
        }
        for (int j = 0; j < settings.workflows().size(); j++) {
            PolicyBundle.WorkflowSettings workflow = settings.workflows().get(j);
            String wf = workflow.bpmnProcessId();
            String at = path + ".workflows[" + j + "]";
            Map<String, String> owners = Map.of("project", path + ".project", "bpmnProcessId", at + ".bpmnProcessId");
            if (workflow.redaction() != null) {
                entries.add(new Entry(
                        new Key("workflow-redaction", project + "/" + wf),
                        project,
                        at + ".redaction",
                        owners,
                        workflow.redaction(),
                        actor -> use.putRedaction(project, wf, workflow.redaction(), actor),
                        actor -> store.ownRedaction(project, wf).orElse(null)));
            }
            if (workflow.judge() != null) {
                entries.add(new Entry(
                        new Key("workflow-judge", project + "/" + wf),
                        project,
                        at + ".judge",
                        owners,
                        workflow.judge(),
                        actor -> this.owners.judges().put(project, wf, workflow.judge(), actor),
                        actor -> this.owners.judges().get(project, wf, actor)));
            }
        }
    }

    /** A price as a bundle states it: without the version, start and source the server keeps with it. */
    private static ModelPrice priceForm(ModelPrice price) {
        return price.as(price.provider(), price.model()).withSource(null);
    }

    /** A prompt's latest version as a bundle states it. */
    private static PromptDefinition promptForm(PromptVersion version) {
        return new PromptDefinition(
                version.name(), version.project(), version.systemPrompt(), version.template(), version.labels());
    }

    /** The use case's refusal, naming the field by its path in the bundle. */
    private static RequestRejected located(Entry entry, RequestRejected rejected) {
        String field = rejected.field() == null
                ? entry.path()
                : entry.ownerPaths().getOrDefault(rejected.field(), entry.path() + "." + rejected.field());
        return new RequestRejected(
                rejected.kind(),
                field,
                entry.path() + " (" + entry.key().kind() + " " + entry.key().id() + "): " + rejected.getMessage());
    }

    private static Outcome outcome(Entry entry, Action action, List<String> fields, String note) {
        return new Outcome(new ObjectDiff(entry.key().kind(), entry.key().id(), action, fields, note), entry.project());
    }

    private static boolean isChange(Action action) {
        return action == Action.CREATED || action == Action.CHANGED || action == Action.REMOVED;
    }

    /**
     * One {@code policy-bundle} entry per audit chain the bundle touched, naming the change set and that chain's
     * objects; each object's own entry (written by its use case) carries the same change set.
     */
    private void recordChangeSet(UUID changeSet, List<Outcome> outcomes, ApiPrincipal actor) {
        Map<String, List<Map<String, Object>>> byChain =
                new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Outcome o : outcomes) {
            if (!isChange(o.diff().action())) {
                continue;
            }
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", o.diff().kind());
            object.put("id", o.diff().id());
            object.put("action", o.diff().action().name());
            object.put("fields", o.diff().fields());
            byChain.computeIfAbsent(o.project(), p -> new ArrayList<>()).add(object);
        }
        Instant now = clock.instant();
        byChain.forEach((project, objects) -> audit.policyChange(
                actor, project, "policy-bundle", changeSet.toString(), null, Map.of("objects", objects), now));
    }

    private static PolicyBundleDiff diff(boolean dryRun, UUID changeSet, List<Outcome> outcomes) {
        Map<Action, Integer> counts = new HashMap<>();
        outcomes.forEach(o -> counts.merge(o.diff().action(), 1, Integer::sum));
        return new PolicyBundleDiff(
                dryRun,
                changeSet,
                counts.getOrDefault(Action.CREATED, 0),
                counts.getOrDefault(Action.CHANGED, 0),
                counts.getOrDefault(Action.UNCHANGED, 0),
                counts.getOrDefault(Action.REMOVED, 0),
                counts.getOrDefault(Action.KEPT, 0),
                outcomes.stream().map(Outcome::diff).toList());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

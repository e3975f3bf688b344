package io.aiops.policy.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.adapter.out.alerting.MeteredAlertChannel;
import io.aiops.policy.adapter.out.alerting.WebhookAlertChannel;
import io.aiops.policy.adapter.out.alerting.ZeebeMessageAlertChannel;
import io.aiops.policy.adapter.out.anchors.DirectoryAnchorStore;
import io.aiops.policy.adapter.out.anchors.WebhookAnchorStore;
import io.aiops.policy.adapter.out.http.HttpPriceSource;
import io.aiops.policy.adapter.out.http.PinnedHttp;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.JudgeSettingsUseCase;
import io.aiops.policy.application.port.in.ProjectSettingsUseCase;
import io.aiops.policy.application.port.in.PromptUseCase;
import io.aiops.policy.application.port.in.QualityQuery;
import io.aiops.policy.application.port.in.RoutingPolicyUseCase;
import io.aiops.policy.application.port.out.AlertChannel;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.AnchorStore;
import io.aiops.policy.application.port.out.ApiKeyStore;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.JudgeSettingsStore;
import io.aiops.policy.application.port.out.LedgerRollups;
import io.aiops.policy.application.port.out.PriceSourceReader;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.application.port.out.ProviderHealthStore;
import io.aiops.policy.application.port.out.QualityLedger;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.application.port.out.SpendLedger;
import io.aiops.policy.application.service.AlertDeliveryService;
import io.aiops.policy.application.service.AlertDeliverySettings;
import io.aiops.policy.application.service.AlertEvaluationService;
import io.aiops.policy.application.service.AlertRuleService;
import io.aiops.policy.application.service.AlertSigningKeys;
import io.aiops.policy.application.service.ApiKeyService;
import io.aiops.policy.application.service.AuditRecorder;
import io.aiops.policy.application.service.AuditService;
import io.aiops.policy.application.service.BudgetRecommendationService;
import io.aiops.policy.application.service.BudgetService;
import io.aiops.policy.application.service.CallHistoryService;
import io.aiops.policy.application.service.CatalogService;
import io.aiops.policy.application.service.DashboardService;
import io.aiops.policy.application.service.DecisionBooker;
import io.aiops.policy.application.service.DecisionDefinitions;
import io.aiops.policy.application.service.DecisionService;
import io.aiops.policy.application.service.DecisionSettings;
import io.aiops.policy.application.service.FailOpenPolicies;
import io.aiops.policy.application.service.FeedbackService;
import io.aiops.policy.application.service.JudgeSettingsService;
import io.aiops.policy.application.service.OutcomeService;
import io.aiops.policy.application.service.PolicyBundleService;
import io.aiops.policy.application.service.ProjectSettingsService;
import io.aiops.policy.application.service.PromptService;
import io.aiops.policy.application.service.ProviderHealthService;
import io.aiops.policy.application.service.QualityService;
import io.aiops.policy.application.service.RedactionPolicies;
import io.aiops.policy.application.service.ReservationExpiryService;
import io.aiops.policy.application.service.RoutingPolicyService;
import io.aiops.policy.application.service.SignInLinkService;
import io.aiops.policy.application.service.SpendService;
import io.aiops.policy.application.service.UnapprovedCallService;
import io.aiops.policy.application.service.alerting.PriceChangeAlerts;
import io.aiops.policy.domain.OutboundPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionOperations;

/** Wires the use cases to their stores; the application layer itself knows nothing of Spring wiring. */
@Configuration(proxyBeanMethods = false)
public class ApplicationConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    DecisionSettings decisionSettings(PolicyServerProperties properties) {
        return new DecisionSettings(
                properties.reservations().ttl(),
                properties.decisions().defaultMaxOutputTokens(),
                properties.decisions().defaultTimeout(),
                properties.reservations().attemptsPerCandidate(),
                properties.reservations().waitsPerCandidate());
    }

    @Bean
    AuditRecorder auditRecorder(AuditLog log) {
        return new AuditRecorder(log);
    }

    @Bean
    RedactionPolicies redactionPolicies(ProjectSettingsStore settings, Clock clock, PolicyServerProperties properties) {
        return new RedactionPolicies(
                settings,
                clock,
                properties.audit().maskSecret(),
                properties.decisions().definitionsCacheTtl());
    }

    /** {@code aiops.outbound.*}: where webhooks and other user-configured URLs may point. */
    @Bean
    OutboundPolicy outboundPolicy(PolicyServerProperties properties) {
        return new OutboundPolicy(
                properties.outbound().allowHttp(), properties.outbound().allowedHosts(), InetAddress::getAllByName);
    }

    @Bean
    FailOpenPolicies failOpenPolicies(ProjectSettingsStore settings, Clock clock, PolicyServerProperties properties) {
        return new FailOpenPolicies(settings, clock, properties.decisions().definitionsCacheTtl());
    }

    @Bean
    UnapprovedCallService unapprovedCallService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            CallLedger ledger,
            DecisionSettings settings,
            OutcomeService outcomes,
            Clock clock) {
        return new UnapprovedCallService(decisions, reservations, budgets, ledger, settings, outcomes, clock);
    }

    @Bean
    AuditService auditService(
            AuditLog log,
            ProjectSettingsStore settings,
            Clock clock,
            PolicyServerProperties properties,
            OutboundPolicy outbound,
            ObjectMapper json) {
        PolicyServerProperties.Audit audit = properties.audit();
        List<AnchorStore> stores = new ArrayList<>();
        if (!audit.anchorDirectory().isBlank()) {
            stores.add(new DirectoryAnchorStore(Path.of(audit.anchorDirectory()), json));
        }
        if (!audit.anchorWebhookUrl().isBlank()) {
            stores.add(new WebhookAnchorStore(
                    URI.create(audit.anchorWebhookUrl()),
                    new PinnedHttp(outbound, properties.alerts().requestTimeout()),
                    json));
        }
        byte[] anchorKey = audit.anchorKey().getBytes(StandardCharsets.UTF_8);
        return new AuditService(log, settings, clock, anchorKey, stores);
    }

    @Bean
    ProjectSettingsService projectSettingsService(
            ProjectSettingsStore settings,
            AuditRecorder audit,
            Clock clock,
            RedactionPolicies redactionPolicies,
            FailOpenPolicies failOpenPolicies) {
        return new ProjectSettingsService(settings, audit, clock, redactionPolicies, failOpenPolicies);
    }

    /** {@code aiops.decisions.definitions-cache-ttl}: how old the routing, price and budget definitions may be. */
    @Bean
    DecisionDefinitions decisionDefinitions(
            RoutingPolicyStore routingPolicies,
            CatalogStore catalog,
            BudgetStore budgets,
            Clock clock,
            PolicyServerProperties properties) {
        return new DecisionDefinitions(
                routingPolicies, catalog, budgets, clock, properties.decisions().definitionsCacheTtl());
    }

    @Bean
    DecisionService decisionService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            DecisionDefinitions definitions,
            DecisionSettings settings,
            Clock clock,
            RedactionPolicies redactionPolicies,
            FailOpenPolicies failOpenPolicies,
            ProviderHealthService providerHealth,
            PolicyServerProperties properties) {
        DecisionBooker booker = new DecisionBooker(
                decisions,
                properties.decisions().bookingMaxBatch(),
                properties.decisions().bookingConcurrency());
        return new DecisionService(
                decisions,
                reservations,
                budgets,
                definitions,
                settings,
                clock,
                redactionPolicies,
                failOpenPolicies,
                providerHealth::openModels,
                booker);
    }

    /** {@code aiops.provider-health.open-report-ttl}: how long a worker's OPEN report demotes a model (default 5m). */
    @Bean
    ProviderHealthService providerHealthService(
            ProviderHealthStore store,
            Clock clock,
            @Value("${aiops.provider-health.open-report-ttl:5m}") Duration openReportTtl,
            PolicyServerProperties properties) {
        return new ProviderHealthService(
                store, openReportTtl, clock, properties.decisions().definitionsCacheTtl());
    }

    @Bean
    OutcomeService outcomeService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            CatalogStore catalog,
            CallLedger ledger,
            Clock clock,
            RedactionPolicies redactionPolicies,
            AuditLog audit,
            AlertEvaluationService alerts,
            ScoreStore scores,
            PromptStore prompts) {
        return new OutcomeService(
                decisions,
                reservations,
                budgets,
                catalog,
                ledger,
                clock,
                redactionPolicies,
                audit,
                alerts,
                scores,
                prompts);
    }

    @Bean
    WebhookAlertChannel webhookAlertChannel(
            PolicyServerProperties properties,
            ObjectMapper json,
            Clock clock,
            AlertSigningKeys signingKeys,
            OutboundPolicy outbound) {
        return new WebhookAlertChannel(
                json, properties.alerts().requestTimeout(), clock, signingKeys::signature, outbound);
    }

    /**
     * {@code aiops.alerts.signing-secret}: what webhook signing keys derive from (empty: generated, kept in the
     * database); {@code aiops.alerts.signing-key-overlap}: how long after a rotation the previous key still signs.
     */
    @Bean
    AlertSigningKeys alertSigningKeys(
            ProjectSettingsStore settings,
            Clock clock,
            PolicyServerProperties properties,
            AuditRecorder audit,
            @Value("${aiops.alerts.signing-key-overlap:24h}") Duration overlap) {
        return new AlertSigningKeys(settings, clock, properties.alerts().signingSecret(), audit, overlap);
    }

    /** Alerts as Zeebe messages, only when {@code aiops.alerts.zeebe.rest-address} names a cluster. */
    @Bean
    @ConditionalOnExpression("!'${aiops.alerts.zeebe.rest-address:}'.isBlank()")
    ZeebeMessageAlertChannel zeebeMessageAlertChannel(PolicyServerProperties properties, ObjectMapper json) {
        PolicyServerProperties.Alerts alerts = properties.alerts();
        return new ZeebeMessageAlertChannel(
                json,
                alerts.requestTimeout(),
                URI.create(alerts.zeebe().restAddress()),
                alerts.zeebe().messageTtl(),
                alerts.zeebe().tenantId(),
                alerts.zeebe().authorization());
    }

    @Bean
    AlertRuleService alertRuleService(
            AlertRuleStore rules,
            AlertStore alerts,
            BudgetStore budgets,
            AuditRecorder audit,
            Clock clock,
            List<AlertChannel> alertChannels,
            OutboundPolicy outbound,
            TransactionOperations transactions) {
        return new AlertRuleService(
                rules,
                alerts,
                budgets,
                audit,
                clock,
                alertChannels.stream().map(AlertChannel::name).collect(Collectors.toSet()),
                outbound,
                transactions);
    }

    @Bean
    AlertEvaluationService alertEvaluationService(
            AlertRuleStore rules, AlertStore alerts, AlertSignals signals, BudgetStore budgets, Clock clock) {
        return new AlertEvaluationService(rules, alerts, signals, budgets, clock);
    }

    @Bean
    AlertDeliverySettings alertDeliverySettings(PolicyServerProperties properties) {
        PolicyServerProperties.Alerts alerts = properties.alerts();
        // the claim outlasts one request, so no other replica posts the same delivery while this one waits for an
        // answer
        return new AlertDeliverySettings(
                alerts.maxAttempts(),
                alerts.initialBackoff(),
                alerts.maxBackoff(),
                alerts.requestTimeout().plusSeconds(30),
                alerts.batchSize());
    }

    @Bean
    AlertDeliveryService alertDeliveryService(
            AlertStore alerts,
            List<AlertChannel> alertChannels,
            AlertDeliverySettings settings,
            Clock clock,
            MeterRegistry meters) {
        return new AlertDeliveryService(alerts, MeteredAlertChannel.all(alertChannels, meters), settings, clock);
    }

    @Bean
    JudgeSettingsService judgeSettingsService(
            JudgeSettingsStore store, CatalogStore catalog, AuditRecorder audit, Clock clock) {
        return new JudgeSettingsService(store, catalog, audit, clock);
    }

    @Bean
    PolicyBundleService policyBundleService(
            CatalogUseCase catalog,
            RoutingPolicyUseCase routing,
            BudgetUseCase budgets,
            AlertRuleUseCase alertRules,
            ProjectSettingsUseCase settings,
            JudgeSettingsUseCase judges,
            PromptUseCase prompts,
            RoutingPolicyStore routingStore,
            ProjectSettingsStore settingsStore,
            JudgeSettingsStore judgeStore,
            PromptStore promptStore,
            AuditRecorder audit,
            Clock clock,
            TransactionOperations transactions) {
        return new PolicyBundleService(
                new PolicyBundleService.Owners(catalog, routing, budgets, alertRules, settings, judges, prompts),
                new PolicyBundleService.Listings(routingStore, settingsStore, judgeStore, promptStore),
                audit,
                clock,
                transactions);
    }

    @Bean
    PromptService promptService(PromptStore prompts, AuditRecorder audit, Clock clock) {
        return new PromptService(prompts, audit, clock);
    }

    @Bean
    QualityService qualityService(QualityLedger ledger, Clock clock) {
        return new QualityService(ledger, clock);
    }

    @Bean
    FeedbackService feedbackService(
            ScoreStore scores, RedactionPolicies redactionPolicies, AuditLog audit, Clock clock) {
        return new FeedbackService(scores, redactionPolicies, audit, clock);
    }

    @Bean
    CallHistoryService callHistoryService(CallLedger ledger, ScoreStore scores) {
        return new CallHistoryService(ledger, scores);
    }

    @Bean
    SpendService spendService(SpendLedger ledger, Clock clock) {
        return new SpendService(ledger, clock);
    }

    @Bean
    DashboardService dashboardService(
            LedgerRollups rollups, BudgetUseCase budgets, AlertRuleUseCase alerts, QualityQuery quality, Clock clock) {
        return new DashboardService(rollups, budgets, alerts, quality, clock);
    }

    @Bean
    SignInLinkService signInLinkService(Clock clock) {
        return new SignInLinkService(clock);
    }

    @Bean
    BudgetRecommendationService budgetRecommendationService(SpendLedger ledger, BudgetStore budgets, Clock clock) {
        return new BudgetRecommendationService(ledger, budgets, clock);
    }

    @Bean
    PriceSourceReader priceSourceReader(
            OutboundPolicy outbound, @Value("${aiops.catalog.sync.timeout:30s}") Duration timeout) {
        return new HttpPriceSource(outbound, timeout);
    }

    @Bean
    PriceChangeAlerts priceChangeAlerts(AlertRuleStore rules, AlertStore alerts, AlertSignals signals, Clock clock) {
        return new PriceChangeAlerts(rules, alerts, signals, clock);
    }

    @Bean
    CatalogService catalogService(
            CatalogStore catalog,
            AuditRecorder audit,
            Clock clock,
            DecisionDefinitions definitions,
            PriceChangeAlerts priceAlerts) {
        return new CatalogService(catalog, audit, clock, definitions, priceAlerts);
    }

    @Bean
    BudgetService budgetService(
            BudgetStore budgets, Clock clock, AuditRecorder audit, DecisionDefinitions definitions) {
        return new BudgetService(budgets, clock, audit, definitions);
    }

    @Bean
    RoutingPolicyService routingPolicyService(
            RoutingPolicyStore policies,
            CatalogStore catalog,
            AuditRecorder audit,
            Clock clock,
            DecisionDefinitions definitions) {
        return new RoutingPolicyService(policies, catalog, audit, clock, definitions);
    }

    @Bean
    ReservationExpiryService reservationExpiryService(ReservationStore reservations, BudgetStore budgets, Clock clock) {
        return new ReservationExpiryService(reservations, budgets, clock);
    }

    @Bean
    ApiKeyService apiKeyService(ApiKeyStore keys, Clock clock, AuditRecorder audit, PolicyServerProperties properties) {
        return new ApiKeyService(
                keys,
                clock,
                audit,
                properties.apiKeys().cacheTtl(),
                properties.apiKeys().rotationGrace());
    }

    /** Creates the first admin key from AIOPS_BOOTSTRAP_ADMIN_KEY once the schema is migrated. */
    @Bean
    InitializingBean bootstrapAdminKey(ApiKeyService apiKeys, PolicyServerProperties properties) {
        return () -> apiKeys.ensureAdminKey(properties.bootstrapAdminKey());
    }
}

package io.aiops.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the architecture: {@code providers <- ai-task-connector -> policy-api <- policy-server}; the
 * server never sees connectors, connectors never see the server's internals, and the non-production Zeebe test
 * engine never reaches a deployable artifact.
 */
class ModuleDependencyRulesTest {

    private static final String API = "io.aiops.policy.api..";
    private static final String SERVER = "io.aiops.policy..";
    private static final String PROVIDERS = "io.aiops.providers..";
    private static final String PROVIDERS_INTERNAL = "io.aiops.providers.internal..";
    private static final String CORE = "io.aiops.core..";
    private static final String CONNECTOR = "io.aiops.connector..";
    private static final String SIMULATOR = "io.aiops.simulator..";
    private static final String WORKER = "io.aiops.worker..";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.aiops");
        // guard against a rule passing on an empty import (e.g. a classpath change)
        if (production.stream().map(c -> c.getPackageName()).distinct().count() < 6) {
            throw new IllegalStateException("too few io.aiops packages imported: " + production.size() + " classes");
        }
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void policyApiDependsOnNothingOfOurs() {
        check(noClasses()
                .that()
                .resideInAPackage(API)
                .should()
                .dependOnClassesThat(resideInAPackage("io.aiops..").and(not(resideInAnyPackage(API, CORE))))
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework.."));
    }

    @Test
    void policyServerNeverDependsOnConnectors() {
        check(noClasses()
                .that()
                .resideInAPackage(SERVER)
                .and()
                .resideOutsideOfPackage(API)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(PROVIDERS, CONNECTOR, SIMULATOR, WORKER, "io.camunda.."));
    }

    @Test
    void connectorsSeeOnlyThePolicyApiOfTheServer() {
        check(noClasses()
                .that()
                .resideInAnyPackage(CONNECTOR, PROVIDERS, WORKER)
                .should()
                .dependOnClassesThat(resideInAPackage(SERVER).and(not(resideInAPackage(API)))));
    }

    @Test
    void providersHaveNoCamundaOrPolicyDependency() {
        check(noClasses()
                .that()
                .resideInAPackage(PROVIDERS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.camunda..", SERVER, CONNECTOR, WORKER, SIMULATOR));
    }

    @Test
    void coreIsPlainJavaAndDependsOnNothingOfOurs() {
        check(noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat(resideInAPackage("io.aiops..").and(not(resideInAPackage(CORE))))
                .orShould()
                .dependOnClassesThat(not(resideInAnyPackage("java..", CORE))));
    }

    @Test
    void providerInternalsAreUsedOnlyByTheProvidersPackage() {
        check(noClasses()
                .that()
                .resideOutsideOfPackage(PROVIDERS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(PROVIDERS_INTERNAL));
    }

    @Test
    void theSimulatorIsATestToolNotAProductionDependency() {
        check(noClasses()
                .that()
                .resideInAnyPackage(SERVER, PROVIDERS, CONNECTOR, WORKER)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SIMULATOR));
    }

    @Test
    void nonProductionZeebeTestEngineStaysOutOfDeployables() {
        check(noClasses()
                .that()
                .resideInAnyPackage(SERVER, PROVIDERS, CONNECTOR, WORKER, SIMULATOR)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.camunda.zeebe.process.test..", "io.camunda.zeebe.engine.."));
    }

    @Test
    void serverDomainIsPlainJava() {
        check(noClasses()
                .that()
                .resideInAPackage("io.aiops.policy.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..", "org.jooq..", "jakarta.servlet..", "com.fasterxml.jackson.."));
    }

    /**
     * The server's outgoing ports and its domain speak domain types, never the HTTP contract's: the web adapter maps
     * API types once. The ports and domain classes that still used API types when this rule was written are frozen in
     * {@code archunit_store} (shrinking as they move to domain types); any new use fails.
     */
    @Test
    void outgoingPortsAndTheDomainSpeakDomainTypesNotTheApi() {
        check(FreezingArchRule.freeze(noClasses()
                .that()
                .resideInAnyPackage("io.aiops.policy.domain..", "io.aiops.policy.application.port.out..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(API)));
    }

    @Test
    void webAdaptersDoNotTouchPersistence() {
        check(noClasses()
                .that()
                .resideInAPackage("io.aiops.policy.adapter.in..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.aiops.policy.adapter.out..", "org.jooq.."));
    }
}

package io.aiops.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyServerPropertiesTest {

    @Test
    void printingTheSettingsShowsNoSecret() {
        PolicyServerProperties properties = new PolicyServerProperties(
                "bootstrap-secret-1",
                new PolicyServerProperties.Db(
                        "jdbc:postgresql://db:5432/aiops?password=url-secret-2",
                        "aiops",
                        "db-secret-3",
                        null,
                        "aiops_owner",
                        "migration-secret-8"),
                null,
                null,
                new PolicyServerProperties.Audit(
                        null, true, null, true, "mask-secret-4", "anchor-secret-7", "/anchors", null),
                null,
                null,
                new PolicyServerProperties.Alerts(
                        null,
                        true,
                        null,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new PolicyServerProperties.Zeebe("http://zeebe:8080", null, null, "Bearer zeebe-secret-5"),
                        "signing-secret-6"),
                null);

        String printed = properties.toString();

        assertThat(printed)
                .doesNotContain(
                        "bootstrap-secret-1",
                        "url-secret-2",
                        "db-secret-3",
                        "mask-secret-4",
                        "zeebe-secret-5",
                        "signing-secret-6",
                        "anchor-secret-7",
                        "migration-secret-8");
        assertThat(printed)
                .contains(
                        "jdbc:postgresql://db:5432/aiops",
                        "user=aiops",
                        "migrationUser=aiops_owner",
                        "http://zeebe:8080");
    }
}

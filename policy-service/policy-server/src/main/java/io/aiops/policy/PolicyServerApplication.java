package io.aiops.policy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The policy service: decisions, budgets, the call ledger and the catalog over HTTP, state in PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PolicyServerApplication {

    public static void main(String[] args) {
        // jOOQ prints a banner and tips on first use; keep the log to what operators need
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        SpringApplication.run(PolicyServerApplication.class, args);
    }
}

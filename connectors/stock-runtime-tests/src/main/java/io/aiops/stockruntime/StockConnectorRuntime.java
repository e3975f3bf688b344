package io.aiops.stockruntime;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Camunda's connector runtime application as it ships (its {@code ConnectorRuntimeApplication}): a Spring Boot
 * application that declares nothing and lets {@code spring-boot-starter-camunda-connectors} configure the runtime.
 * Connectors come from the classpath: by SPI ({@code META-INF/services}) or by {@code CONNECTOR_<NAME>_FUNCTION}
 * environment variables. Nothing of AI Ops is configured here; the tests start it in a JVM of its own.
 */
@SpringBootApplication
public class StockConnectorRuntime {

    public static void main(String[] args) {
        SpringApplication.run(StockConnectorRuntime.class, args);
    }
}

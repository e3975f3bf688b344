package io.aiops.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The worker process users deploy next to their Zeebe cluster: hosts the AI task connector and job worker. */
// the AI calls' OpenTelemetry is the worker's own (TracingConfiguration, off unless configured): Spring Boot's would
// build an SDK, and a log-record processor with a thread of its own, merely because the SDK is on the class path
@SpringBootApplication(exclude = {OpenTelemetryAutoConfiguration.class, OpenTelemetryLoggingAutoConfiguration.class})
@ConfigurationPropertiesScan
public class WorkerRuntimeApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerRuntimeApplication.class, args);
    }
}

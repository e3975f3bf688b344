package io.aiops.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The worker process users deploy next to their Zeebe cluster: hosts the AI task connector and job worker. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerRuntimeApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerRuntimeApplication.class, args);
    }
}

package io.aiops.sandbox;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.RecordStreamSource;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.ProcessInstanceRecordStreamFilter;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.BpmnEventType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The in-memory Zeebe engine of Zeebe Process Test, behind one small class so that moving to its successor touches
 * one place. Non-production licence: used only by the sandbox and by tests, never by a deployable module.
 */
public final class EmbeddedZeebe implements AutoCloseable {

    private final ZeebeTestEngine engine;

    private EmbeddedZeebe(ZeebeTestEngine engine) {
        this.engine = engine;
    }

    /** Starts a fresh engine on a free port. */
    public static EmbeddedZeebe start() {
        ZeebeTestEngine engine = EngineFactory.create();
        engine.start();
        return new EmbeddedZeebe(engine);
    }

    /** The gRPC address as a plaintext URI, for {@code camunda.client.grpc-address}. */
    public URI grpcAddress() {
        // the engine reports "0.0.0.0:PORT" without a scheme; an http scheme means plaintext to the client
        String address = engine.getGatewayAddress().replace("0.0.0.0", "127.0.0.1");
        return URI.create("http://" + address);
    }

    /** A client of the engine (gRPC only: the engine has no REST API). */
    public CamundaClient newClient() {
        return CamundaClient.newClientBuilder()
                .grpcAddress(grpcAddress())
                .preferRestOverGrpc(false)
                .build();
    }

    /** The engine's record stream, for process assertions. */
    public RecordStreamSource recordStream() {
        return engine.getRecordStreamSource();
    }

    /**
     * The process instances (of those given) in which an error event caught a BPMN error, e.g. an AI task's
     * {@code AI_BUDGET_EXCEEDED} boundary event; read from the engine's record stream.
     */
    public Set<Long> instancesThatCaughtBpmnError(Collection<Long> processInstanceKeys) {
        Set<Long> wanted = new HashSet<>(processInstanceKeys);
        return new ProcessInstanceRecordStreamFilter(
                        RecordStream.of(recordStream()).processInstanceRecords())
                        .withBpmnEventType(BpmnEventType.ERROR)
                        .withIntent(ProcessInstanceIntent.ELEMENT_COMPLETED)
                        .withRecordType(RecordType.EVENT)
                        .stream()
                        .filter(r -> r.getValue().getBpmnElementType() == BpmnElementType.BOUNDARY_EVENT
                                || r.getValue().getBpmnElementType() == BpmnElementType.START_EVENT)
                        .map(r -> r.getValue().getProcessInstanceKey())
                        .filter(wanted::contains)
                        .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The process instances (of those given) that have completed, read from the engine's record stream. */
    public Set<Long> completedInstances(Collection<Long> processInstanceKeys) {
        Set<Long> wanted = new HashSet<>(processInstanceKeys);
        return new ProcessInstanceRecordStreamFilter(
                        RecordStream.of(recordStream()).processInstanceRecords())
                        .withBpmnElementType(BpmnElementType.PROCESS)
                        .withIntent(ProcessInstanceIntent.ELEMENT_COMPLETED)
                        .withRecordType(RecordType.EVENT)
                        .stream()
                        .map(r -> r.getValue().getProcessInstanceKey())
                        .filter(wanted::contains)
                        .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The process instances (of those given) waiting in an incident that is not resolved, e.g. an AI task whose job
     * ran out of retries because no model answered.
     */
    public Set<Long> instancesWithOpenIncident(Collection<Long> processInstanceKeys) {
        return new TreeSet<>(openIncidents(processInstanceKeys).keySet());
    }

    /** The open incidents' error messages by process instance (the first incident of each), of the instances given. */
    public Map<Long, String> openIncidents(Collection<Long> processInstanceKeys) {
        Set<Long> wanted = new HashSet<>(processInstanceKeys);
        Map<Long, Record<IncidentRecordValue>> open = new LinkedHashMap<>();
        for (Record<IncidentRecordValue> record :
                RecordStream.of(recordStream()).incidentRecords()) {
            if (record.getRecordType() != RecordType.EVENT
                    || !wanted.contains(record.getValue().getProcessInstanceKey())) {
                continue;
            }
            if (record.getIntent() == IncidentIntent.CREATED) {
                open.put(record.getKey(), record);
            } else if (record.getIntent() == IncidentIntent.RESOLVED) {
                open.remove(record.getKey());
            }
        }
        Map<Long, String> messages = new TreeMap<>();
        for (Record<IncidentRecordValue> incident : open.values()) {
            messages.putIfAbsent(
                    incident.getValue().getProcessInstanceKey(),
                    incident.getValue().getErrorMessage());
        }
        return messages;
    }

    @Override
    public void close() {
        engine.stop();
    }
}

package io.aiops.core;

/**
 * Where in a workflow an AI call happens: the process (BPMN id, definition key and version), the instance, the
 * element and its instance, the job and the tenant. The connector fills it from the job, the policy service receives it
 * with a decision request, and the audit trail records it with every entry about the call. Members a host does not
 * know are null: the 8.8 connector runtime knows no job key, an organisation-wide audit entry belongs to no instance.
 */
public record ProcessCoordinates(
        String bpmnProcessId,
        Long processDefinitionKey,
        Integer processDefinitionVersion,
        Long processInstanceKey,
        String elementId,
        Long elementInstanceKey,
        Long jobKey,
        String tenantId) {

    /** Coordinates of nothing in particular (an entry that belongs to no process instance). */
    public static final ProcessCoordinates NONE =
            new ProcessCoordinates(null, null, null, null, null, null, null, null);

    /** These coordinates with the job key of the delivery at hand. */
    public ProcessCoordinates withJobKey(Long key) {
        return new ProcessCoordinates(
                bpmnProcessId,
                processDefinitionKey,
                processDefinitionVersion,
                processInstanceKey,
                elementId,
                elementInstanceKey,
                key,
                tenantId);
    }
}

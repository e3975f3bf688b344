package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.audit.ChainAnchor;
import java.io.IOException;
import java.util.List;

/** One place outside the database where chain heads are published (a directory, a webhook). */
public interface AnchorStore {

    /** Where, for reports: {@code directory /var/lib/aiops/anchors}. */
    String name();

    void publish(List<ChainAnchor> anchors) throws IOException;

    /** The anchors of {@code project} published here before; empty where they cannot be read back (a webhook). */
    List<ChainAnchor> read(String project) throws IOException;
}

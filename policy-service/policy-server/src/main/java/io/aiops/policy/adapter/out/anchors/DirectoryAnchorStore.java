package io.aiops.policy.adapter.out.anchors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.out.AnchorStore;
import io.aiops.policy.domain.audit.ChainAnchor;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends anchors to one JSON-lines file per project in a directory ({@code <project>.jsonl}, the name URL-encoded),
 * written through to the disk. Mount it where the database's owner cannot write (another host, write-once storage).
 */
public final class DirectoryAnchorStore implements AnchorStore {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryAnchorStore.class);

    private final Path directory;
    private final ObjectMapper json;

    public DirectoryAnchorStore(Path directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    @Override
    public String name() {
        return "directory " + directory;
    }

    @Override
    public void publish(List<ChainAnchor> anchors) throws IOException {
        Files.createDirectories(directory);
        Map<String, StringBuilder> byProject = new LinkedHashMap<>();
        for (ChainAnchor anchor : anchors) {
            byProject
                    .computeIfAbsent(anchor.project(), p -> new StringBuilder())
                    .append(json.writeValueAsString(anchor))
                    .append('\n');
        }
        for (Map.Entry<String, StringBuilder> lines : byProject.entrySet()) {
            try (FileChannel file = FileChannel.open(
                    file(lines.getKey()),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                file.write(StandardCharsets.UTF_8.encode(lines.getValue().toString()));
                file.force(true);
            }
        }
    }

    @Override
    public List<ChainAnchor> read(String project) throws IOException {
        Path file = file(project);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ChainAnchor> anchors = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                anchors.add(json.readValue(lines.get(i), ChainAnchor.class));
            } catch (IOException e) {
                // a line torn by a crash during an append: the other anchors still count
                LOG.warn("Line {} of {} is not an anchor and is skipped: {}", i + 1, file, e.getMessage());
            }
        }
        return anchors;
    }

    private Path file(String project) {
        return directory.resolve(URLEncoder.encode(project, StandardCharsets.UTF_8) + ".jsonl");
    }
}

package io.aiops.connector.failopen;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.UnapprovedCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's durable record of calls it made without a decision, kept until the policy service has recorded them:
 * one JSON file per call ({@code <decisionId>.json}), written to a temporary file, forced to disk and renamed into
 * place (then the directory forced), so a crash leaves either the whole record or none. A call the service refused for
 * good moves to {@code rejected/} with the reason beside it: its money was spent, so it is never deleted unrecorded.
 *
 * <p>Each record carries {@code boundUsd}, the most the call can have cost at the dearest prices the decision named;
 * their sum over pending and rejected records is what counts against the worker's local cap.
 */
public final class UnapprovedCallSpool {

    /** One spooled call and the most it can have cost. */
    public record SpooledCall(UnapprovedCall call, BigDecimal boundUsd) {}

    private static final Logger LOG = LoggerFactory.getLogger(UnapprovedCallSpool.class);
    private static final ObjectMapper JSON = PolicyClient.JSON;
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final Path rejected;
    /** Bound per call, pending and rejected alike. */
    private final Map<UUID, BigDecimal> bounds = new ConcurrentHashMap<>();

    /** Opens (creating it if need be) the spool in {@code directory} and counts what it holds. */
    public UnapprovedCallSpool(Path directory) {
        this.directory = directory.toAbsolutePath();
        this.rejected = this.directory.resolve("rejected");
        try {
            Files.createDirectories(rejected);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the unapproved-call spool " + this.directory, e);
        }
        pending();
    }

    public Path directory() {
        return directory;
    }

    /** Writes the call durably; a call already spooled under its decision id is written again (same content). */
    public synchronized void append(SpooledCall call) {
        UUID id = call.call().decisionId();
        Path target = directory.resolve(id + SUFFIX);
        Path temporary = directory.resolve(id + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(call);
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            move(temporary, target);
            forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write unapproved call " + id + " to " + directory, e);
        }
        bounds.put(id, call.boundUsd());
    }

    /**
     * The calls waiting to be recorded, oldest decision first. Counts the spool again from disk, so workers sharing a
     * directory share one cap and see each other's recorded calls leave it.
     */
    public synchronized List<SpooledCall> pending() {
        try {
            List<SpooledCall> calls = new ArrayList<>();
            for (Path file : files(directory)) {
                SpooledCall call = readOrSetAside(file);
                if (call != null) {
                    calls.add(call);
                }
            }
            Map<UUID, BigDecimal> counted = new HashMap<>();
            calls.forEach(c -> counted.put(c.call().decisionId(), c.boundUsd()));
            for (Path file : files(rejected)) {
                SpooledCall call = readOrSetAside(file);
                if (call != null) {
                    counted.put(call.call().decisionId(), call.boundUsd());
                }
            }
            bounds.keySet().retainAll(counted.keySet());
            bounds.putAll(counted);
            calls.sort(Comparator.comparing((SpooledCall c) -> c.call().decidedAt()));
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the unapproved-call spool " + directory, e);
        }
    }

    /** The policy service recorded the call: forget it. */
    public synchronized void recorded(UUID decisionId) {
        try {
            Files.deleteIfExists(directory.resolve(decisionId + SUFFIX));
            forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove recorded call " + decisionId + " from " + directory, e);
        }
        bounds.remove(decisionId);
    }

    /** The policy service refused the call for good: keep it aside with the reason, still counted against the cap. */
    public synchronized void rejected(UUID decisionId, String reason) {
        try {
            Files.writeString(rejected.resolve(decisionId + ".reason.txt"), reason, StandardCharsets.UTF_8);
            move(directory.resolve(decisionId + SUFFIX), rejected.resolve(decisionId + SUFFIX));
            forceDirectory(rejected);
            forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set rejected call " + decisionId + " aside in " + rejected, e);
        }
    }

    /** The most the spooled calls (pending and rejected) can have cost together. */
    public BigDecimal outstandingUsd() {
        return bounds.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** How many calls wait to be recorded. */
    public int pendingCount() {
        try {
            return files(directory).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .toList();
        }
    }

    /** The call in {@code file}; a file that is not one (edited by hand, say) is renamed {@code .unreadable}. */
    private static SpooledCall readOrSetAside(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), SpooledCall.class);
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            LOG.error(
                    "Spooled unapproved call {} cannot be read and is set aside as {}; its cost is not counted against"
                            + " the cap and it is not recorded until fixed: {}",
                    file,
                    aside,
                    e.toString());
            move(file, aside);
            return null;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename or delete in {@code dir} durable; a file system that cannot open directories is left alone. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {} to disk: {}", dir, e.toString());
        }
    }
}

package io.meridian.infra.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code .meridian/pids.json}: every process {@code up} started, in start order, written after each start so that a
 * launcher that dies halfway still leaves {@code down} what it needs.
 *
 * <p>Each entry keeps the process's start time next to its PID. PIDs are reused; a process is taken for ours only
 * if both match, so {@code down} after a reboot never signals a stranger.
 */
public final class ProcessLedger {

    private final Path file;
    private final List<Entry> entries;

    private ProcessLedger(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = new ArrayList<>(entries);
    }

    /**
     * A recorded process.
     *
     * @param name e.g. {@code kafka}, {@code us-east redis}, {@code us-east gateway}, {@code launcher}
     * @param startedAt the process's start time as the OS reports it, or null where it does not
     */
    public record Entry(String name, long pid, String startedAt) {

        static Entry of(String name, ProcessHandle handle) {
            String started = handle.info().startInstant().map(Instant::toString).orElse(null);
            return new Entry(name, handle.pid(), started);
        }

        /** The live process this entry names, if it still runs and is the same process. */
        @JsonIgnore
        public Optional<ProcessHandle> liveHandle() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> startedAt == null
                            || handle.info()
                                    .startInstant()
                                    .map(Instant::toString)
                                    .map(startedAt::equals)
                                    .orElse(true));
        }
    }

    record Document(List<Entry> processes) {}

    /** An empty ledger that will be written to {@code file}. */
    public static ProcessLedger create(Path file) {
        return new ProcessLedger(file, List.of());
    }

    /** The ledger in {@code file}, or empty when there is none. */
    public static Optional<ProcessLedger> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Document document = ClusterDescription.JSON.readValue(file.toFile(), Document.class);
            return Optional.of(new ProcessLedger(file, Objects.requireNonNullElse(document.processes(), List.of())));
        } catch (IOException e) {
            throw new ClusterException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records a started process and writes the file at once. */
    public synchronized void record(String name, ProcessHandle handle) {
        entries.add(Entry.of(name, handle));
        write();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The recorded processes that still run. */
    public synchronized List<Entry> alive() {
        return entries.stream().filter(e -> e.liveHandle().isPresent()).toList();
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ClusterException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".tmp");
            ClusterDescription.JSON
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(partial.toFile(), new Document(List.copyOf(entries)));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClusterException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

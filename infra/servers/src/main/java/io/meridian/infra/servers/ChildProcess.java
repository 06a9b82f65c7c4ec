package io.meridian.infra.servers;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A server running as a child process whose output goes to a log file.
 *
 * <p>Output is redirected to a file, never to a pipe, and standard input comes from {@code /dev/null}: a child that
 * writes into a pipe nobody drains blocks once the pipe buffer is full, and one whose reader has exited dies of
 * SIGPIPE. With files the children of {@code ./meridian up -d} outlive the launcher's JVM.
 */
public final class ChildProcess {

    private static final File NO_INPUT = new File("/dev/null");

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code workDir}, appending its stdout and stderr to {@code logFile}.
     *
     * @param name what the process is, for messages ("redis :6379", "us-east gateway")
     */
    public static ChildProcess start(
            String name, List<String> command, Path workDir, Path logFile, Map<String, String> environment) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new ServerException("cannot start " + name + " (" + String.join(" ", command) + "): " + e, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Waits up to {@code timeout} for the process to exit by itself; returns whether it did. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM to the process and its descendants, SIGKILL to whatever still runs after {@code grace}. */
    public void stop(Duration grace) {
        terminate(process.toHandle(), grace);
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook, no flush. */
    public void kill() {
        terminate(process.toHandle(), Duration.ZERO);
    }

    /**
     * Stops {@code root} and every process it started: SIGTERM first so servers shut down cleanly, SIGKILL after
     * {@code grace}. Descendants are collected before the signal because they are reparented once the root dies.
     *
     * @return whether every process has exited
     */
    public static boolean terminate(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = Stream.concat(root.descendants(), Stream.of(root))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
        if (!grace.isZero()) {
            all.forEach(ProcessHandle::destroy);
            awaitAll(all, grace);
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitAll(all, Duration.ofSeconds(10));
        return all.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void awaitAll(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // Timed out or could not be watched: the caller checks isAlive().
            }
        }
    }

    /** The last {@code lines} lines of this process's log, for error messages. */
    public String logTail(int lines) {
        return logTail(logFile, lines);
    }

    /** The last {@code lines} lines of {@code file}, reading at most its last 64 KiB. */
    public static String logTail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + logFile + ")";
    }
}

package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.ProcessLedger.Entry;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.servers.ChildProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./meridian down}: stops exactly the processes a previous {@code up} recorded, newest first, in three
 * waves: a foreground launcher (whose own shutdown hook then stops its cluster), the apps, then Redis and Kafka
 * (last, so apps shutting down can still flush to them). Each process gets SIGTERM, then SIGKILL after a grace period,
 * descendants included.
 */
final class ClusterTeardown {

    private static final Duration LAUNCHER_GRACE = Duration.ofSeconds(60);
    private static final Duration APP_GRACE = Duration.ofSeconds(10);
    private static final Duration SERVER_GRACE = Duration.ofSeconds(15);

    private final Workspace workspace;
    private final PrintWriter out;

    ClusterTeardown(Workspace workspace, PrintWriter out) {
        this.workspace = workspace;
        this.out = out;
    }

    /**
     * Stops the recorded cluster.
     *
     * @return whether no recorded process is left running
     */
    boolean run() {
        Optional<ProcessLedger> ledger = ProcessLedger.read(workspace.processFile());
        if (ledger.isEmpty() || ledger.get().alive().isEmpty()) {
            out.println("no cluster running");
            ledger.ifPresent(ProcessLedger::delete);
            deleteClusterFile();
            return true;
        }
        List<Entry> entries = new ArrayList<>(ledger.get().entries());
        Collections.reverse(entries);
        stopWave(entries.stream().filter(ClusterTeardown::isLauncher).toList(), LAUNCHER_GRACE);
        stopWave(entries.stream().filter(ClusterTeardown::isApp).toList(), APP_GRACE);
        stopWave(entries.stream().filter(e -> !isLauncher(e) && !isApp(e)).toList(), SERVER_GRACE);
        List<Entry> left =
                entries.stream().filter(e -> e.liveHandle().isPresent()).toList();
        if (!left.isEmpty()) {
            left.forEach(e -> out.println("still running: " + e.name() + " (pid " + e.pid() + ")"));
            return false;
        }
        ledger.get().delete();
        deleteClusterFile();
        out.println("cluster stopped");
        return true;
    }

    private void stopWave(List<Entry> wave, Duration grace) {
        List<CompletableFuture<String>> stops = wave.stream()
                .filter(entry -> entry.pid() != ProcessHandle.current().pid())
                .map(entry -> CompletableFuture.supplyAsync(() -> stop(entry, grace)))
                .toList();
        stops.forEach(stop -> out.println(stop.join()));
        out.flush();
    }

    private static String stop(Entry entry, Duration grace) {
        Optional<ProcessHandle> handle = entry.liveHandle();
        if (handle.isEmpty()) {
            return "  " + entry.name() + " (pid " + entry.pid() + ") had already exited";
        }
        boolean stopped = ChildProcess.terminate(handle.get(), grace);
        return "  " + (stopped ? "stopped " : "could not stop ") + entry.name() + " (pid " + entry.pid() + ")";
    }

    private static boolean isLauncher(Entry entry) {
        return entry.name().equals("launcher");
    }

    private static boolean isApp(Entry entry) {
        return entry.name().endsWith(" " + AppKind.GATEWAY.id())
                || entry.name().endsWith(" " + AppKind.REPLICATOR.id());
    }

    private void deleteClusterFile() {
        try {
            Files.deleteIfExists(workspace.clusterFile());
        } catch (IOException e) {
            throw new ClusterException("cannot delete " + workspace.clusterFile() + ": " + e.getMessage(), e);
        }
    }
}

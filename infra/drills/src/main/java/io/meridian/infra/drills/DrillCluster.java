package io.meridian.infra.drills;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.HttpProbe;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.QuarkusApp;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.servers.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The running local cluster as a drill acts on it: its regions' endpoints, and the processes it may kill and start
 * again the same way (from the ledger of {@code ./meridian up}).
 */
final class DrillCluster {

    private final Workspace workspace;
    private final ClusterDescription description;

    DrillCluster(Workspace workspace, ClusterDescription description) {
        this.workspace = workspace;
        this.description = description;
    }

    ClusterDescription description() {
        return description;
    }

    /** Every region's name, sorted. */
    List<String> names() {
        return description.regions().stream()
                .map(ClusterDescription.Region::name)
                .sorted()
                .toList();
    }

    /** Region name → gateway base URL. */
    Map<String, String> gateways() {
        return description.gateways();
    }

    ClusterDescription.Region region(String name) {
        return description.regions().stream()
                .filter(region -> region.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ClusterException("no region " + name + " in the cluster"));
    }

    void kill(String region, AppKind kind) {
        killProcess(QuarkusApp.name(region, kind));
    }

    /** The command line of the running broker (from the OS), to start it again the same way. */
    List<String> kafkaCommandLine() {
        ProcessHandle broker = ProcessLedger.read(workspace.processFile()).orElseThrow().alive().stream()
                .filter(entry -> entry.name().equals("kafka"))
                .findFirst()
                .flatMap(ProcessLedger.Entry::liveHandle)
                .orElseThrow(() -> new ClusterException("no running Kafka broker in " + workspace.processFile()));
        List<String> command = new ArrayList<>();
        command.add(
                broker.info().command().orElseThrow(() -> new ClusterException("cannot read the broker's command")));
        command.addAll(List.of(broker.info().arguments().orElse(new String[0])));
        return command;
    }

    /** Starts the broker again on its data and ports, and waits until it answers. */
    void restartKafka(List<String> command) {
        String bootstrapServers = description.kafka();
        ChildProcess broker = ChildProcess.start(
                "kafka " + bootstrapServers, command, workspace.kafkaDir(), workspace.log("kafka"), Map.of());
        ProcessLedger.read(workspace.processFile()).orElseThrow().record("kafka", broker.handle());
        String[] hostPort = bootstrapServers.split(":");
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                return;
            } catch (java.io.IOException notYet) {
                if (System.currentTimeMillis() > deadline || !broker.isAlive()) {
                    throw new ClusterException(
                            "the Kafka broker did not come back within 120 s; log " + workspace.log("kafka"));
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted", e);
                }
            }
        }
    }

    void killProcess(String process) {
        ProcessLedger.read(workspace.processFile()).orElseThrow().alive().stream()
                .filter(entry -> entry.name().equals(process))
                .forEach(
                        entry -> entry.liveHandle().ifPresent(handle -> ChildProcess.terminate(handle, Duration.ZERO)));
    }

    void restart(String region, AppKind kind) {
        ClusterDescription.Region described = region(region);
        String baseUrl = kind == AppKind.GATEWAY ? described.gateway() : described.replicator();
        Path dir = workspace.regionDir(region);
        QuarkusApp app = QuarkusApp.start(
                region,
                kind,
                baseUrl,
                workspace.appJar(kind),
                dir.resolve(kind.id() + ".properties"),
                dir,
                workspace.log(region + "-" + kind.id()));
        ProcessLedger.read(workspace.processFile())
                .orElseThrow()
                .record(app.name(), app.process().handle());
        HttpProbe probe = new HttpProbe();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!probe.isReady(baseUrl)) {
            if (System.currentTimeMillis() > deadline) {
                throw new ClusterException(app.name() + " did not become ready within 120 s after its restart");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted", e);
            }
        }
    }
}

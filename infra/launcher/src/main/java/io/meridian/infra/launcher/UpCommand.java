package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./meridian up}: starts a local cluster and either returns ({@code -d}) or runs it until Ctrl-C. */
@Command(
        name = "up",
        description = "Start Kafka and, per region, Redis, the gateway and the replicator on this machine.")
final class UpCommand implements Callable<Integer> {

    /** Exit code for a cluster already running or a topology not available yet. */
    static final int REFUSED = 2;

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--regions",
            split = ",",
            defaultValue = "us-east,eu-west,ap-south",
            description = "Comma-separated region names (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(
            names = "--topology",
            defaultValue = "standalone",
            description = "Redis topology per region: standalone, cluster or sharded (default: ${DEFAULT-VALUE}).")
    String topology;

    @Option(
            names = "--no-origin",
            description = "Do not start the demo origin: users and tweets are then cache-aside only (no read-through).")
    boolean noOrigin;

    @Option(
            names = "--kafka-client-timeout",
            paramLabel = "<seconds>",
            description = "The replicators' Kafka client timeouts (default.api.timeout.ms, request.timeout.ms) in"
                    + " seconds; Kafka's own defaults (60 s, 30 s) when not given. Shorter ones let a test see in"
                    + " seconds what a cut of minutes does.")
    Integer kafkaClientTimeoutSeconds;

    @Option(names = "-d", description = "Detach: return once every region is ready; stop with ./meridian down.")
    boolean detach;

    @Option(
            names = "--ready-timeout",
            defaultValue = "120",
            description = "Seconds to wait for every app to be ready (default: ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    UpCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!topology.equals("standalone")) {
            boolean known = topology.equals("cluster") || topology.equals("sharded");
            err.println(
                    known
                            ? "topology '" + topology + "' is not supported yet; only 'standalone' runs for now"
                            : "unknown topology '" + topology + "'; choose standalone, cluster or sharded");
            return REFUSED;
        }
        Optional<String> running = runningCluster();
        if (running.isPresent()) {
            err.println("a Meridian cluster is already running (" + running.get() + "); see ./meridian status,"
                    + " stop it with ./meridian down");
            return REFUSED;
        }
        boolean withReplicator = Files.isRegularFile(workspace.appJar(AppKind.REPLICATOR));
        if (!withReplicator) {
            out.println("[meridian] no replicator built yet (" + workspace.appJar(AppKind.REPLICATOR)
                    + "): starting gateways only");
        }
        ClusterPlan planned = ClusterPlan.of(regions, withReplicator);
        ClusterPlan withOrigin = noOrigin ? planned.withoutOrigin() : planned;
        ClusterPlan plan = kafkaClientTimeoutSeconds == null
                ? withOrigin
                : withOrigin.withKafkaClientTimeout(kafkaClientTimeoutSeconds * 1000L);
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(workspace, plan, out, Duration.ofSeconds(readyTimeoutSeconds));
        } catch (RuntimeException e) {
            err.println("[meridian] up failed, everything it started was stopped: " + e.getMessage());
            return 1;
        }
        printRegions(out, plan, cluster.description(), cluster.originUrl());
        if (detach) {
            out.println("[meridian] cluster is up (" + workspace.clusterFile() + "); stop it with ./meridian down");
            return 0;
        }
        return runInForeground(cluster, out);
    }

    /** Names of the recorded processes still alive, or empty when no cluster runs (stale records are removed). */
    private Optional<String> runningCluster() {
        Optional<ProcessLedger> ledger = ProcessLedger.read(workspace.processFile());
        List<ProcessLedger.Entry> alive = ledger.map(ProcessLedger::alive).orElse(List.of());
        if (alive.isEmpty()) {
            ledger.ifPresent(ProcessLedger::delete);
            return Optional.empty();
        }
        return Optional.of(alive.stream().map(e -> e.name() + " pid " + e.pid()).collect(Collectors.joining(", ")));
    }

    private static void printRegions(
            PrintWriter out, ClusterPlan plan, ClusterDescription description, String originUrl) {
        int width =
                plan.regions().stream().mapToInt(r -> r.name().length()).max().orElse(0);
        for (ClusterDescription.Region region : description.regions()) {
            String extras = (region.replicator() == null ? "" : "replicator " + region.replicator() + ", ") + "redis "
                    + String.join(" ", region.redis());
            out.println(String.format("%-" + width + "s  %s  (%s)", region.name(), region.gateway(), extras));
        }
        out.println("kafka " + description.kafka());
        if (originUrl != null) {
            out.println("origin " + originUrl + "  (demo database behind users and tweets: GET " + originUrl
                    + "/users/user:42, metrics at /metrics)");
        }
        out.flush();
    }

    /**
     * Stays until Ctrl-C (the shutdown hook stops the cluster) or until {@code ./meridian down} elsewhere removed the
     * process record; reports once each process that dies on its own.
     */
    private int runInForeground(LocalCluster cluster, PrintWriter out) {
        cluster.recordLauncher();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("[meridian] stopping the cluster...");
                            out.flush();
                            cluster.stop();
                            out.println("[meridian] stopped");
                            out.flush();
                        },
                        "meridian-up-stop"));
        out.println("[meridian] running; press Ctrl-C to stop everything");
        out.flush();
        Set<String> reported = new HashSet<>();
        while (Files.exists(workspace.processFile())) {
            for (String dead : cluster.deadProcesses()) {
                if (reported.add(dead)) {
                    out.println("[meridian] warning: " + dead + " has exited");
                    out.flush();
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }
}

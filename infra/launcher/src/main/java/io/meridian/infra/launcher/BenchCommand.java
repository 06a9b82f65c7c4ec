package io.meridian.infra.launcher;

import io.meridian.infra.bench.BenchmarkLog;
import io.meridian.infra.bench.BenchmarkRun;
import io.meridian.infra.bench.HttpBenchmark;
import io.meridian.infra.bench.LoadSettings;
import io.meridian.infra.bench.MachineDescription;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meridian bench <name> [--record]}: runs a benchmark against the running cluster's first region, or
 * against a one-region cluster it starts and stops itself. Prints its figures; appends them to
 * {@code docs/benchmarks.md} only with {@code --record}.
 */
@Command(name = "bench", description = "Run a benchmark (available: http) and print its figures.")
final class BenchCommand implements Callable<Integer> {

    /** Exit code for an unknown benchmark. */
    static final int UNKNOWN = 2;

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<name>", description = "The benchmark: http.")
    String name;

    @Option(names = "--record", description = "Append the figures to docs/benchmarks.md.")
    boolean record;

    @Option(names = "--warmup", defaultValue = "20", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(
            names = "--duration",
            defaultValue = "20",
            description = "Seconds per measured phase (default: ${DEFAULT-VALUE}).")
    int phaseSeconds;

    @Option(
            names = "--concurrency",
            defaultValue = "50",
            description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--keys", defaultValue = "10000", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(
            names = "--value-size",
            defaultValue = "100",
            description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    BenchCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!name.equals("http")) {
            spec.commandLine().getErr().println("no benchmark named " + name + "; available: http");
            return UNKNOWN;
        }
        LoadSettings settings = new LoadSettings(
                Duration.ofSeconds(warmupSeconds),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                keys,
                valueBytes,
                "tweets",
                Duration.ofSeconds(300));
        Optional<ClusterDescription> running = runningCluster();
        LocalCluster own = null;
        if (running.isEmpty()) {
            out.println("[bench] no cluster running: starting a one-region cluster for this run");
            out.flush();
            // The replicator, when built, runs too: it applies the region's own log to Redis, as in production.
            boolean withReplicator = Files.isRegularFile(workspace.appJar(AppKind.REPLICATOR));
            ClusterPlan plan = ClusterPlan.of(List.of("us-east"), withReplicator);
            own = LocalCluster.start(workspace, plan, out, Duration.ofSeconds(120));
        }
        LocalCluster started = own;
        Thread stopOnExit = new Thread(() -> stopQuietly(started), "meridian-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            ClusterDescription cluster = running.isPresent() ? running.get() : started.description();
            ClusterDescription.Region region = cluster.regions().get(0);
            BenchmarkRun run = new HttpBenchmark(settings, out)
                    .run(region.name(), region.gateway(), region.redis().get(0));
            report(run, out);
            return 0;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            stopQuietly(started);
        }
    }

    private Optional<ClusterDescription> runningCluster() {
        boolean alive = ProcessLedger.read(workspace.processFile())
                .map(ledger -> !ledger.alive().isEmpty())
                .orElse(false);
        return alive ? ClusterDescription.read(workspace.clusterFile()) : Optional.empty();
    }

    private void report(BenchmarkRun run, PrintWriter out) {
        MachineDescription machine = MachineDescription.current();
        String command = "./meridian "
                + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        run.consoleLines(machine, command).forEach(out::println);
        if (record) {
            BenchmarkLog.append(workspace.benchmarksFile(), run.markdownSection(machine, command));
            out.println("recorded in " + workspace.benchmarksFile());
        }
        out.flush();
    }

    private static void stopQuietly(LocalCluster cluster) {
        if (cluster != null) {
            cluster.stop();
        }
    }
}

package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.drills.DrillRun;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * {@code ./meridian drill <name> [--seed N] [--record]}: runs a failure drill (see {@link DrillRun}) against the
 * running cluster, or against the default three regions it starts for the drill and stops afterwards. Prints the
 * drill's figures and, last, {@code DRILL <name> PASS|FAIL ...}; exits 0 when it passed.
 */
@Command(name = "drill", description = "Run a failure drill against the running cluster (or one it starts).")
final class DrillCommand implements Callable<Integer> {

    /** Exit code for an unknown drill. */
    static final int UNKNOWN = 2;

    /** Exit code of a drill that failed its checks. */
    static final int FAILED = 1;

    /** The regions of the cluster a drill starts when none runs: {@code ./meridian up}'s default. */
    static final List<String> OWN_REGIONS = List.of("us-east", "eu-west", "ap-south");

    /** Pause between starting a cluster for a drill and starting the drill's workload. */
    static final Duration WARM_UP = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<name>", description = "The drill; an unknown name lists them.")
    String name;

    @Option(names = "--seed", description = "Seed of the drill's random choices, to replay a run.")
    Long seed;

    @Option(
            names = "--duration",
            description = "Seconds of workload; the fault lasts its middle third (default: 30; long-partition "
                    + DrillRun.LONG_PARTITION_SECONDS + ", returning-home 45).")
    Integer durationOption;

    @Option(names = "--clients", defaultValue = "6", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--record", description = "Append the run's figures and verdict to docs/runbook.md (Drill record).")
    boolean record;

    private final Workspace workspace;

    DrillCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!DrillRun.names().contains(name)) {
            err.println("no drill named " + name + "; available: " + String.join(", ", DrillRun.names()));
            return UNKNOWN;
        }
        DrillRun drill = new DrillRun(workspace, name, seed, durationOption, clients);
        Optional<String> recordAs = record
                ? Optional.of("./meridian "
                        + String.join(
                                " ", spec.root().commandLine().getParseResult().originalArgs()))
                : Optional.empty();
        Optional<ClusterDescription> running = ClusterDescription.read(workspace.clusterFile())
                .filter(any -> ProcessLedger.read(workspace.processFile())
                        .map(ledger -> !ledger.alive().isEmpty())
                        .orElse(false));
        if (running.isPresent()) {
            return exitCode(drill.run(running.get(), out, recordAs));
        }
        // No cluster: start the default one for this drill, and stop all of it afterwards (also on Ctrl-C), the
        // processes the drill restarted included (they are in the ledger).
        LocalCluster.requireJar(workspace, AppKind.REPLICATOR);
        out.println("[drill] no cluster running: starting " + String.join(", ", OWN_REGIONS) + " for this drill");
        out.flush();
        LocalCluster own = LocalCluster.start(workspace, ClusterPlan.of(OWN_REGIONS, true), out, Duration.ofMinutes(3));
        Thread stopOnExit = new Thread(() -> stopOwn(own), "meridian-drill-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            // A cluster that has just started is cold: give its JVMs a moment before the workload is timed.
            Thread.sleep(WARM_UP.toMillis());
            return exitCode(drill.run(own.description(), out, recordAs));
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            stopOwn(own);
        }
    }

    private static int exitCode(boolean passed) {
        return passed ? 0 : FAILED;
    }

    private void stopOwn(LocalCluster own) {
        new ClusterTeardown(workspace, new PrintWriter(new StringWriter())).run();
        own.stop();
    }
}

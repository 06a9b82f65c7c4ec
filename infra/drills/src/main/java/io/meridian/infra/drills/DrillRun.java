package io.meridian.infra.drills;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.MachineDescription;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One run of a failure drill against a running cluster, what {@code ./meridian drill <name> [--seed N] [--record]}
 * does once it has a cluster. A seeded workload of clients with session tokens writes, deletes, writes conditionally
 * and reads {@value DrillWorkload#KEYS} shared keys through every region; a third of the way in the drill injects its
 * fault, two thirds of the way it heals it; then it reads every key in every region until they converge, and checks
 * the whole history with {@link HistoryChecker}: no acknowledged write lost, real-time order of versions,
 * read-your-writes and monotonic reads, every value read with its write's version; and every copy converged within
 * the bound, no request hung. It prints the figures and, last, {@code DRILL <name> PASS|FAIL ...}, and writes {@code
 * report.md} and {@code report.html} under {@code .meridian/drills/<name>-<seed>/}; when asked to record, it appends
 * the run as a row of the drill record in {@code docs/runbook.md}.
 */
public final class DrillRun {

    /** How long after the fault is healed every copy must have converged. */
    static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(30);

    /** Replication lag above which a region counts as affected (detected), and below which as recovered. */
    static final double LAG_THRESHOLD_SECONDS = 1.0;

    /** Makes a drill's fault for the running cluster, a region chosen by the seed and the seed. */
    @FunctionalInterface
    interface FaultFactory {
        DrillFault create(DrillCluster cluster, String region, long seed) throws Exception;
    }

    /** A drill: one line on what it does, its fault, and its workload's length when {@code --duration} is not given. */
    record Drill(String summary, FaultFactory fault, int defaultDurationSeconds) {
        Drill(String summary, FaultFactory fault) {
            this(summary, fault, 30);
        }
    }

    static final Map<String, Drill> DRILLS = drills();

    private static Map<String, Drill> drills() {
        Map<String, Drill> drills = new java.util.TreeMap<>();
        String crash = "kill -9 one region's replicator mid-batch, restart it: it resumes from committed offsets";
        drills.put(
                "replicator-crash",
                new Drill(
                        crash,
                        (cluster, region, seed) ->
                                new ProcessFault(cluster, region, List.of(AppKind.REPLICATOR), crash)));
        String outage = "kill -9 one region's gateway and replicator, restart both: the other regions go on";
        drills.put(
                "region-outage",
                new Drill(
                        outage,
                        (cluster, region, seed) -> new ProcessFault(
                                cluster, region, List.of(AppKind.GATEWAY, AppKind.REPLICATOR), outage)));
        drills.put(
                "poison-event",
                new Drill(
                        "a malformed record in one region's event topic: every region dead-letters it and goes on",
                        PoisonEventFault::new));
        String failover = "kill -9 one region's gateway and replicator; after presence's failover-after the next"
                + " region takes its keys' writes; restart both: the keys go back";
        drills.put(
                "region-outage-failover",
                new Drill(failover, (cluster, region, seed) -> new FailoverFault(cluster, region, failover)));
        drills.put(
                "planned-failover",
                new Drill(
                        "./meridian region drain one region, then failback: no acknowledged write lost, writes paused"
                                + " only while the others catch up",
                        PlannedFailoverFault::new));
        drills.put(
                "overload",
                new Drill(
                        "a flood of priority-4 requests at one region: it sheds them fast (503 + Retry-After) and keeps"
                                + " serving the priority-1 clients",
                        OverloadFault::new));
        drills.put(
                "partition",
                new Drill(
                        "cut the network both ways between two regions, heal it: each side goes on, both catch up",
                        PartitionFault::new));
        drills.put(
                "kafka-outage",
                new Drill(
                        "kill -9 the Kafka broker, restart it: buffered writes go on, reads go on, all converge",
                        (cluster, region, seed) -> new KafkaOutageFault(cluster)));
        drills.put(
                "long-partition",
                new Drill(
                        "cut the network both ways between two regions for over two minutes (the Kafka clients' own"
                                + " timeouts expire meanwhile), heal it: replication from every source resumes and"
                                + " every region converges",
                        PartitionFault::new,
                        LONG_PARTITION_SECONDS));
        drills.put(
                "redis-loss",
                new Drill(
                        "FLUSHALL one region's cache Redis: it rebuilds from its control topic and the logs; nothing"
                                + " acknowledged lost, nothing deleted comes back",
                        (cluster, region, seed) -> new RedisLossFault(cluster, region)));
        drills.put(
                "returning-home",
                new Drill(
                        "kill a home's gateway, fail it over, write its keys elsewhere, restart it while cut off from"
                                + " a successor: it must not take its keys back; heal and fail back",
                        ReturningHomeFault::new,
                        45));
        return java.util.Collections.unmodifiableMap(drills);
    }

    /** The long-partition drill's workload: its middle third, the cut, lasts 130 s, past Kafka's 60 s timeouts. */
    public static final int LONG_PARTITION_SECONDS = 390;

    /** Every drill's name, sorted. */
    public static List<String> names() {
        return List.copyOf(DRILLS.keySet());
    }

    private final Workspace workspace;
    private final String name;
    private final Long seed;
    private final int durationSeconds;
    private final int clients;

    /**
     * @param name one of {@link #names()}
     * @param seed the seed of the drill's random choices, to replay a run; null for a new one
     * @param durationSeconds seconds of workload, the fault in its middle third; null for the drill's default
     * @param clients concurrent clients of the workload
     */
    public DrillRun(Workspace workspace, String name, Long seed, Integer durationSeconds, int clients) {
        Drill drill = DRILLS.get(name);
        if (drill == null) {
            throw new IllegalArgumentException("no drill named " + name);
        }
        this.workspace = workspace;
        this.name = name;
        this.seed = seed;
        this.durationSeconds = durationSeconds != null ? durationSeconds : drill.defaultDurationSeconds();
        this.clients = clients;
    }

    /**
     * Runs the drill against {@code described}, a cluster of at least two regions with replicators.
     *
     * @param recordAs the command line to name in the drill record of {@code docs/runbook.md}; empty records nothing
     * @return whether the drill passed every check
     */
    public boolean run(ClusterDescription described, PrintWriter out, Optional<String> recordAs) throws Exception {
        if (described.regions().size() < 2 || described.regions().stream().anyMatch(r -> r.replicator() == null)) {
            throw new ClusterException("drill " + name + " needs at least 2 regions with replicators");
        }
        DrillCluster cluster = new DrillCluster(workspace, described);
        long runSeed = seed != null ? seed : System.nanoTime() & 0xffffffffL;
        Random random = new Random(runSeed);
        List<String> names = cluster.names();
        String victim = names.get(random.nextInt(names.size()));
        Map<String, String> gateways = cluster.gateways();
        List<String> violations = new ArrayList<>();
        DrillFault fault = DRILLS.get(name).fault().create(cluster, victim, runSeed);

        progress(out, "seed " + runSeed + "; fault: " + fault.description());
        DrillWorkload workload = new DrillWorkload(fault.namespace(), fault.priority(), gateways, clients, runSeed);
        workload.start();
        ProcessStalls stalls = new ProcessStalls(workload::elapsedMillis);
        stalls.start();
        DrillMonitor monitor = new DrillMonitor(gateways, System.currentTimeMillis());
        monitor.start();
        long third = durationSeconds * 1000L / 3;
        sleepUntil(workload, third);
        long injectAt = workload.elapsedMillis();
        progress(out, "injecting at " + DrillReport.seconds(injectAt) + " s");
        fault.inject(violations);
        sleepUntil(workload, 2 * third);
        long healAt = workload.elapsedMillis();
        progress(out, "healing at " + DrillReport.seconds(healAt) + " s");
        fault.heal(violations);
        long healedAt = workload.elapsedMillis();
        sleepUntil(workload, durationSeconds * 1000L);
        DrillHistory history = workload.stop();
        List<ProcessStalls.Stall> stalled = stalls.stop();
        long endAt = workload.elapsedMillis();
        List<DrillHistory.Op> ops = history.ops();
        progress(out, "workload stopped; reading every key in every region until they converge");
        FinalReads.Result convergence = FinalReads.converge(workload, names, ops, CONVERGENCE_BOUND);
        history.addAll(convergence.reads());
        // Recovery is judged from the regions' own status: keep watching until every lag is back under the threshold.
        long watchUntil = System.currentTimeMillis() + fault.recoveryBound().toMillis();
        while (recovery(monitor.samples(), names, healedAt, fault) == null && System.currentTimeMillis() < watchUntil) {
            Thread.sleep(250);
        }
        List<DrillMonitor.Sample> samples = monitor.stop();

        List<HistoryChecker.Violation> checked = HistoryChecker.check(history.ops());
        checked.forEach(violation -> violations.add(violation.toString()));
        violations.addAll(convergence.unconverged());
        // A request that waited through a stall of this process was not waiting for the gateway all that time.
        long hung = ProcessStalls.hung(ops, stalled, DrillWorkload.CLIENT_TIMEOUT.toMillis() - 100);
        if (hung > 0) {
            violations.add(hung + " requests got no answer within " + DrillWorkload.CLIENT_TIMEOUT.toSeconds()
                    + " s (a hang)");
        }
        fault.check(ops, injectAt, healAt, violations);
        long acked = ops.stream().filter(op -> op.isWrite() && op.acked()).count();
        if (acked == 0) {
            violations.add("no write was acknowledged: the workload did not run");
        }
        Long detect =
                fault.detectedMillis() != null ? fault.detectedMillis() : detection(samples, fault.victim(), injectAt);
        Long recover = recovery(samples, names, fault.recoversFromInjection() ? injectAt : healedAt, fault);
        if (detect == null && fault.mustShowInStatus()) {
            violations.add("the fault never showed in any region's status (no lag over " + LAG_THRESHOLD_SECONDS
                    + " s, no unreachable gateway)");
        }
        if (recover == null) {
            violations.add("not every region was back to normal (" + fault.normal() + ") within "
                    + fault.recoveryBound().toSeconds() + " s of the heal");
        }
        boolean passed = violations.isEmpty();
        List<String[]> figures = new ArrayList<>(DrillFigures.common(
                ops,
                checked,
                hung,
                stalled,
                violations,
                convergence,
                fault.detects(),
                detect,
                recover,
                healedAt - healAt));
        figures.addAll(fault.figures());
        Path dir = workspace.drillsDir().resolve(name + "-" + runSeed);
        DrillReport.write(
                dir,
                new DrillReport.Run(
                        name,
                        runSeed,
                        fault.description(),
                        passed,
                        figures,
                        violations,
                        history.ops(),
                        injectAt,
                        healAt,
                        endAt));
        for (String[] figure : figures) {
            out.println(figure[0] + ": " + figure[1]);
        }
        violations.stream().limit(10).forEach(v -> out.println("violation: " + v));
        out.println("report: " + dir.resolve("report.md") + " and report.html; history: history.tsv");
        DrillRecord.Verdict verdict = new DrillRecord.Verdict(
                name,
                runSeed,
                passed,
                ops.size(),
                acked,
                violations.size(),
                detect == null ? "-" : DrillReport.seconds(detect),
                recover == null ? "-" : DrillReport.seconds(recover),
                DrillReport.seconds(convergence.millis()),
                checked.stream()
                        .filter(v -> v.rule() == HistoryChecker.Rule.LOST_WRITE)
                        .count(),
                ops.stream()
                        .filter(op -> op.isWrite() && op.outcome() == DrillHistory.Outcome.INDETERMINATE)
                        .count());
        if (recordAs.isPresent()) {
            record(verdict, recordAs.get(), out);
        }
        out.println(verdict.line());
        out.flush();
        return passed;
    }

    /** Appends the run to the drill record in {@code docs/runbook.md}, with the command, commit and machine. */
    private void record(DrillRecord.Verdict verdict, String command, PrintWriter out) {
        MachineDescription machine = MachineDescription.current();
        DrillRecord.append(
                workspace.runbookFile(),
                new DrillRecord.Row(
                        machine.date(),
                        command,
                        DrillRecord.commit(workspace.root()),
                        DrillRecord.Row.machine(machine),
                        durationSeconds,
                        verdict));
        out.println("recorded in " + workspace.runbookFile());
    }

    /** When the fault first showed: the victim's gateway unreachable, or some region lagging. */
    private static Long detection(List<DrillMonitor.Sample> samples, String victim, long injectAt) {
        return samples.stream()
                .filter(sample -> sample.atMillis() >= injectAt)
                .filter(sample -> (!sample.reachable() && sample.region().equals(victim))
                        || sample.maxLagSeconds() > LAG_THRESHOLD_SECONDS)
                .map(sample -> sample.atMillis() - injectAt)
                .findFirst()
                .orElse(null);
    }

    /** When, after the restart, every region last answered its status with a lag under the threshold. */
    private static Long recovery(
            List<DrillMonitor.Sample> samples, List<String> regions, long healedAt, DrillFault fault) {
        Map<String, DrillMonitor.Sample> latest = new HashMap<>();
        for (DrillMonitor.Sample sample : samples) {
            if (sample.atMillis() < healedAt) {
                continue;
            }
            latest.put(sample.region(), sample);
            boolean allWell =
                    latest.size() == regions.size() && latest.values().stream().allMatch(fault::recovered);
            if (allWell) {
                return sample.atMillis() - healedAt;
            }
        }
        return null;
    }

    private static void sleepUntil(DrillWorkload workload, long elapsedMillis) throws InterruptedException {
        long wait = elapsedMillis - workload.elapsedMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static void progress(PrintWriter out, String line) {
        out.println("[drill] " + line);
        out.flush();
    }
}

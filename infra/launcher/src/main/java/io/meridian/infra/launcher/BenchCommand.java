package io.meridian.infra.launcher;

import io.meridian.infra.bench.BenchmarkLog;
import io.meridian.infra.bench.BenchmarkRun;
import io.meridian.infra.bench.HotKeyBenchmark;
import io.meridian.infra.bench.HttpBenchmark;
import io.meridian.infra.bench.IdleBenchmark;
import io.meridian.infra.bench.LoadSettings;
import io.meridian.infra.bench.OverloadBenchmark;
import io.meridian.infra.bench.OverloadRun;
import io.meridian.infra.bench.PeersBenchmark;
import io.meridian.infra.bench.PeersRun;
import io.meridian.infra.bench.ProfileBenchmark;
import io.meridian.infra.bench.ReplicationBenchmark;
import io.meridian.infra.bench.ReplicationRun;
import io.meridian.infra.bench.ReplicationSettings;
import io.meridian.infra.bench.StampedeBenchmark;
import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.MachineDescription;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meridian bench <name> [--record]}: runs a benchmark against the running cluster, or against a cluster it
 * starts and stops itself (one region for {@code http}, two with replicators for {@code replication}). Prints its
 * figures; appends them to {@code docs/benchmarks.md} only with {@code --record}.
 */
@Command(
        name = "bench",
        description = "Run a benchmark (available: http, replication, hotkey, stampede, peers,"
                + " overload, micro, profile, idle) and print its figures.")
final class BenchCommand implements Callable<Integer> {

    /** Exit code for an unknown benchmark. */
    static final int UNKNOWN = 2;

    /** The regions {@code bench replication} starts when no cluster runs: written to the first, observed in the second. */
    static final List<String> REPLICATION_REGIONS = List.of("us-east", "eu-west");

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "<name>",
            description =
                    "The benchmark: http, replication, hotkey, stampede, peers, overload, micro, profile or idle.")
    String name;

    @Option(names = "--record", description = "Append the figures to docs/benchmarks.md.")
    boolean record;

    @Option(
            names = "--warmup",
            description = "Warm-up seconds (default: 20 for http, 15 for replication), not measured.")
    Integer warmupSeconds;

    @Option(
            names = "--duration",
            defaultValue = "20",
            description = "Seconds per measured phase (default: ${DEFAULT-VALUE}).")
    int phaseSeconds;

    @Option(
            names = "--concurrency",
            defaultValue = "50",
            description = "http: requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--keys",
            description = "http: distinct keys (default: 10000); peers: keys per value size (default: 2000).")
    Optional<Integer> keysOption;

    @Option(
            names = "--value-size",
            defaultValue = "100",
            description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(
            names = "--rate",
            defaultValue = "5000",
            description = "replication: writes per second offered, open loop (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--sample",
            defaultValue = "10",
            description = "replication: follow every n-th write in the other region (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(
            names = "--max-in-flight",
            defaultValue = "512",
            description = "replication, overload: writes in flight at most; sends due beyond are skipped and counted"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    BenchCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return switch (name) {
            case "http" -> http(out);
            case "replication" -> replication(out);
            case "hotkey" -> hotkey(out);
            case "stampede" -> stampede(out);
            case "peers" -> peers(out);
            case "overload" -> overload(out);
            case "micro" -> micro(out);
            case "profile" -> profile(out);
            case "idle" -> idle(out);
            default -> {
                spec.commandLine()
                        .getErr()
                        .println("no benchmark named " + name
                                + "; available: http, replication, hotkey, stampede, peers, overload, micro,"
                                + " profile, idle");
                yield UNKNOWN;
            }
        };
    }

    private int http(PrintWriter out) {
        LoadSettings settings = new LoadSettings(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 20)),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                keysOption.orElse(10_000),
                valueBytes,
                "tweets",
                Duration.ofSeconds(300));
        // The replicator, when built, runs too: it applies the region's own log to Redis, as in production.
        boolean withReplicator = Files.isRegularFile(workspace.appJar(AppKind.REPLICATOR));
        BenchmarkRun run = onCluster(List.of("us-east"), withReplicator, out, (cluster, state) -> {
            ClusterDescription.Region region = cluster.regions().get(0);
            return new HttpBenchmark(settings, out)
                    .run(region.name(), region.gateway(), region.redis().get(0));
        });
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    @Option(
            names = "--value-sizes",
            defaultValue = "100,4096",
            split = ",",
            description = "peers: value sizes in bytes, one set of phases each (default: ${DEFAULT-VALUE}).")
    List<Integer> valueSizes;

    /** The regions {@code bench peers} starts when no cluster runs: the gateway's own, and one to forward to. */
    static final List<String> PEERS_REGIONS = List.of("us-east", "eu-west");

    private int peers(PrintWriter out) {
        PeersBenchmark.Settings settings = new PeersBenchmark.Settings(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 30)),
                Duration.ofSeconds(3),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                keysOption.orElse(2_000),
                valueSizes,
                io.meridian.infra.cluster.LocalNamespaces.WITHOUT_NEAR_CACHE,
                HotKeyBenchmark.WITH_L1);
        PeersRun run = onCluster(PEERS_REGIONS, true, out, (cluster, state) -> {
            if (cluster.regions().size() < 2) {
                throw new ClusterException("bench peers needs at least 2 regions (for forwarded PUTs); the running"
                        + " cluster has " + cluster.regions().size() + ": stop it (./meridian down)");
            }
            ClusterDescription.Region home = cluster.regions().get(0);
            ClusterDescription.Region remote = cluster.regions().get(1);
            return new PeersBenchmark(settings, out)
                    .run(
                            new PeersBenchmark.Cluster(
                                    cluster.regions().stream()
                                            .map(ClusterDescription.Region::name)
                                            .toList(),
                                    home.name(),
                                    home.gateway(),
                                    remote.name(),
                                    home.redis().get(0),
                                    cluster.regions().stream()
                                            .filter(region -> region.replicator() != null)
                                            .collect(java.util.stream.Collectors.toMap(
                                                    ClusterDescription.Region::name,
                                                    ClusterDescription.Region::replicator)),
                                    clusterProcesses(),
                                    workspace.logs().resolveSibling("bench")),
                            state);
        });
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    /** Hot keys read by {@code bench hotkey}: few enough that every one of them is hot. */
    private static final int HOT_KEYS = 8;

    private int hotkey(PrintWriter out) {
        LoadSettings settings = new LoadSettings(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 20)),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                HOT_KEYS,
                valueBytes,
                HotKeyBenchmark.WITH_L1,
                Duration.ofSeconds(3600));
        HotKeyBenchmark.Run run = onCluster(List.of("us-east"), false, out, (cluster, state) -> {
            ClusterDescription.Region region = cluster.regions().get(0);
            return new HotKeyBenchmark(settings, out).run(region.name(), region.gateway());
        });
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    @Option(
            names = "--rounds",
            defaultValue = "20",
            description = "stampede: invalidated keys, one stampede each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--readers",
            defaultValue = "300",
            description = "stampede: concurrent GETs per stampede, over every region (default: ${DEFAULT-VALUE}).")
    int readers;

    private int stampede(PrintWriter out) {
        StampedeBenchmark.Run run =
                onCluster(List.of("us-east", "eu-west", "ap-south"), true, out, (cluster, state) -> {
                    if (cluster.origin() == null) {
                        throw new ClusterException("bench stampede needs the demo origin; the running cluster has"
                                + " none (started with --no-origin): stop it and let bench start its own");
                    }
                    List<String> names = cluster.regions().stream()
                            .map(ClusterDescription.Region::name)
                            .toList();
                    List<String> gateways = cluster.regions().stream()
                            .map(ClusterDescription.Region::gateway)
                            .toList();
                    return new StampedeBenchmark(rounds, readers, out).run(names, gateways, cluster.origin());
                });
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    @Option(
            names = "--multiple",
            defaultValue = "5",
            description = "overload: writes offered, as a multiple of the rate the gateway sustains"
                    + " (default: ${DEFAULT-VALUE}).")
    double multiple;

    private int overload(PrintWriter out) {
        OverloadBenchmark.Settings settings = new OverloadBenchmark.Settings(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 20)),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                multiple,
                maxInFlight,
                valueBytes);
        // The region's replicator runs too, as in production: it applies the region's log to Redis.
        OverloadRun run = onCluster(List.of("us-east"), true, out, (cluster, state) -> {
            ClusterDescription.Region region = cluster.regions().get(0);
            return new OverloadBenchmark(settings, out)
                    .run(new OverloadBenchmark.Cluster(
                            region.name(),
                            cluster.regions().stream()
                                    .map(ClusterDescription.Region::name)
                                    .toList(),
                            region.gateway(),
                            cluster.kafka()));
        });
        report(run::consoleLines, run::markdownSection, out);
        return run.logChecksHold() ? 0 : 1;
    }

    @Option(names = "--quick", description = "micro: a short run that only checks that every microbenchmark runs.")
    boolean quick;

    /**
     * The JMH microbenchmarks (module {@code infra/jmh}), in a JVM of their own: JMH forks a JVM per benchmark from
     * its own class path, which is the module's jar and libraries, not the launcher's.
     */
    private int micro(PrintWriter out) {
        java.nio.file.Path jar = workspace.root().resolve("infra/jmh/target/meridian-jmh.jar");
        if (!Files.isRegularFile(jar)) {
            throw new ClusterException("bench micro needs " + jar + ": build it with ./mvnw -B -DskipTests package");
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(),
                "-jar",
                jar.toString()));
        if (quick) {
            command.add("--quick");
        }
        if (record) {
            command.add("--record");
        }
        out.flush();
        try {
            Process jmh = new ProcessBuilder(command)
                    .directory(workspace.root().toFile())
                    .inheritIO()
                    .start();
            return jmh.waitFor();
        } catch (java.io.IOException e) {
            throw new ClusterException("cannot start the microbenchmarks: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while the microbenchmarks ran", e);
        }
    }

    @Option(names = "--label", description = "profile: the name of the flame graphs (default: the checked-out commit).")
    Optional<String> label;

    private int profile(PrintWriter out) {
        ProfileBenchmark.Settings settings = new ProfileBenchmark.Settings(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 30)),
                Duration.ofSeconds(phaseSeconds),
                concurrency,
                keysOption.orElse(2_000),
                valueBytes,
                io.meridian.infra.cluster.LocalNamespaces.WITHOUT_NEAR_CACHE,
                label.orElseGet(this::commit));
        java.nio.file.Path docs = workspace.benchmarksFile().getParent();
        List<ProfileBenchmark.Profile> profiles = onCluster(List.of("us-east"), true, out, (cluster, state) -> {
            ClusterDescription.Region region = cluster.regions().get(0);
            Long pid = clusterProcesses().get(region.name() + " gateway");
            if (pid == null) {
                throw new ClusterException("bench profile cannot find the " + region.name() + " gateway's process");
            }
            return new ProfileBenchmark(settings, out)
                    .run(
                            region.name(),
                            cluster.regions().stream()
                                    .map(ClusterDescription.Region::name)
                                    .toList(),
                            region.gateway(),
                            pid,
                            workspace.logs().resolveSibling("bench"),
                            docs.resolve("profiles"));
        });
        report(
                (machine, command) -> profiles.stream()
                        .map(profile -> profile.path() + ": " + profile.svg() + "\n" + profile.summary())
                        .toList(),
                (machine, command) -> ProfileBenchmark.markdownSection(machine, command, settings, profiles, docs),
                out);
        return 0;
    }

    /** The regions {@code bench idle} starts when no cluster runs. */
    static final List<String> IDLE_REGIONS = List.of("us-east", "eu-west", "ap-south");

    /** A cluster at rest: {@code --warmup} is the settling time (default 180 s), {@code --duration} the window. */
    private int idle(PrintWriter out) {
        IdleBenchmark bench = new IdleBenchmark(
                Duration.ofSeconds(Objects.requireNonNullElse(warmupSeconds, 180)),
                Duration.ofSeconds(phaseSeconds),
                out);
        IdleBenchmark.Run run = onCluster(
                IDLE_REGIONS,
                true,
                out,
                (cluster, state) -> bench.run(
                        cluster.regions().stream()
                                .map(ClusterDescription.Region::name)
                                .toList(),
                        state,
                        clusterProcesses()));
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    /** The checked-out commit, short, or {@code local} outside a git checkout. */
    private String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .directory(workspace.root().toFile())
                    .redirectErrorStream(true)
                    .start();
            String head =
                    new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && head.matches("[0-9a-f]{4,40}") ? head : "local";
        } catch (java.io.IOException e) {
            return "local";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "local";
        }
    }

    private int replication(PrintWriter out) {
        ReplicationSettings settings;
        try {
            ReplicationSettings defaults = ReplicationSettings.defaults();
            settings = new ReplicationSettings(
                    rate,
                    warmupSeconds == null ? defaults.warmup() : Duration.ofSeconds(warmupSeconds),
                    Duration.ofSeconds(phaseSeconds),
                    sampleEvery,
                    maxInFlight,
                    valueBytes,
                    defaults.namespace(),
                    defaults.ttl(),
                    defaults.visibilityTimeout());
        } catch (IllegalArgumentException e) {
            throw new ClusterException("bench replication: " + e.getMessage(), e);
        }
        ReplicationRun run = onCluster(REPLICATION_REGIONS, true, out, (cluster, state) -> {
            if (cluster.regions().size() < 2) {
                throw new ClusterException("bench replication needs at least 2 regions; the running cluster has "
                        + cluster.regions().size() + ": stop it (./meridian down), or start one with"
                        + " ./meridian up -d --regions us-east,eu-west");
            }
            if (cluster.regions().stream().anyMatch(region -> region.replicator() == null)) {
                throw new ClusterException("bench replication needs the regions' replicators; the running cluster"
                        + " has none: stop it (./meridian down) and let bench start its own");
            }
            ClusterDescription.Region home = cluster.regions().get(0);
            ClusterDescription.Region remote = cluster.regions().get(1);
            return new ReplicationBenchmark(settings, out)
                    .run(
                            cluster.regions().stream()
                                    .map(ClusterDescription.Region::name)
                                    .toList(),
                            home.name(),
                            home.gateway(),
                            remote.name(),
                            remote.redis(),
                            remote.replicator(),
                            clusterProcesses(),
                            state);
        });
        report(run::consoleLines, run::markdownSection, out);
        return 0;
    }

    /**
     * Runs {@code bench} against the running cluster, or against one of {@code regions} started for it and stopped
     * afterwards (also on Ctrl-C). {@code bench} is also told which of the two it got, for its report: a cluster
     * started for the run has cold JVMs, one that has been running for minutes has warm ones.
     */
    private <T> T onCluster(
            List<String> regions,
            boolean withReplicator,
            PrintWriter out,
            BiFunction<ClusterDescription, String, T> bench) {
        Optional<ClusterDescription> running = runningCluster();
        LocalCluster own = null;
        String state;
        if (running.isEmpty()) {
            state = "started for this run";
            if (withReplicator) {
                LocalCluster.requireJar(workspace, AppKind.REPLICATOR);
            }
            out.println("[bench] no cluster running: starting " + regions.size() + " region(s) ("
                    + String.join(", ", regions) + (withReplicator ? ", with replicators" : "") + ") for this run");
            out.flush();
            own = LocalCluster.start(workspace, ClusterPlan.of(regions, withReplicator), out, Duration.ofSeconds(120));
        } else {
            state = runningState();
            out.println("[bench] using the running cluster (" + workspace.clusterFile() + ", " + state + ")");
            out.flush();
        }
        LocalCluster started = own;
        Thread stopOnExit = new Thread(() -> stopQuietly(started), "meridian-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            return bench.apply(running.isPresent() ? running.get() : started.description(), state);
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

    /** {@code already running, up 12 min}: since its oldest live process started, where the OS says. */
    private String runningState() {
        Optional<Instant> since = ProcessLedger.read(workspace.processFile()).stream()
                .flatMap(ledger -> ledger.alive().stream())
                .map(ProcessLedger.Entry::startedAt)
                .filter(Objects::nonNull)
                .map(Instant::parse)
                .min(Instant::compareTo);
        return since.map(start -> "already running, up "
                        + Duration.between(start, Instant.now()).toMinutes() + " min")
                .orElse("already running");
    }

    /** The cluster's live processes by name, from {@code pids.json}. */
    private Map<String, Long> clusterProcesses() {
        Map<String, Long> processes = new LinkedHashMap<>();
        ProcessLedger.read(workspace.processFile())
                .ifPresent(ledger -> ledger.alive().forEach(entry -> processes.put(entry.name(), entry.pid())));
        return processes;
    }

    private void report(
            BiFunction<MachineDescription, String, List<String>> console,
            BiFunction<MachineDescription, String, String> markdown,
            PrintWriter out) {
        MachineDescription machine = MachineDescription.current();
        String command = "./meridian "
                + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
        console.apply(machine, command).forEach(out::println);
        if (record) {
            BenchmarkLog.append(workspace.benchmarksFile(), markdown.apply(machine, command));
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

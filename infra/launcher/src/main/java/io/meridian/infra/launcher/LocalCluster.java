package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.HttpProbe;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.QuarkusApp;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.launcher.ClusterPlan.RegionLink;
import io.meridian.infra.launcher.ClusterPlan.RegionPlan;
import io.meridian.infra.links.LinkSpec;
import io.meridian.infra.links.RegionLinks;
import io.meridian.infra.servers.ChildProcess;
import io.meridian.infra.servers.KafkaBroker;
import io.meridian.infra.servers.LoopbackPorts;
import io.meridian.infra.servers.RedisNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A running local cluster: one Kafka broker, and per region a Redis node, a gateway and (once built) a replicator,
 * each a child process on free loopback ports; with more than one region, the region links (see {@link RegionLinks})
 * that every request and event between regions goes through.
 *
 * <p>Start order follows dependencies: Kafka first (the slowest, ~10 s, and every app needs it), then each region's
 * Redis, the demo origin and the region links (each from its own module's jar, see {@link ChildService}), then all
 * apps at once, since on 2 cores their startups overlap well. Every process is recorded in the {@link ProcessLedger}
 * the moment it starts, so a failure anywhere stops exactly what was started.
 */
final class LocalCluster {

    private static final Duration APP_STOP_GRACE = Duration.ofSeconds(10);
    /** What the demo origin costs per request, like a fast database query over the network. */
    private static final Duration ORIGIN_LATENCY = Duration.ofMillis(5);

    private static final int ORIGIN_USERS = 100_000;
    private static final int ORIGIN_TWEETS = 100_000;

    private final Workspace workspace;
    private final ClusterPlan plan;
    private final ProcessLedger ledger;
    private final PrintWriter out;
    private final Map<String, RedisNode> redis = new LinkedHashMap<>();
    private final List<QuarkusApp> apps = new ArrayList<>();
    private KafkaBroker kafka;
    private ChildProcess origin;
    private String originUrl;
    private ChildProcess links;
    private String linksUrl;
    private volatile boolean stopping;

    private LocalCluster(Workspace workspace, ClusterPlan plan, PrintWriter out) {
        this.workspace = workspace;
        this.plan = plan;
        this.out = out;
        this.ledger = ProcessLedger.create(workspace.processFile());
    }

    /**
     * Starts every process of {@code plan}, waits until each app is ready and writes {@code cluster.json}. On any
     * failure stops what it started and throws.
     */
    static LocalCluster start(Workspace workspace, ClusterPlan plan, PrintWriter out, Duration readyTimeout) {
        requireJar(workspace, AppKind.GATEWAY);
        if (plan.withOrigin()) {
            ChildService.DEMO_ORIGIN.requireJar(workspace);
        }
        if (!plan.links().isEmpty()) {
            ChildService.REGION_LINKS.requireJar(workspace);
        }
        clearPreviousRun(workspace);
        LocalCluster cluster = new LocalCluster(workspace, plan, out);
        try {
            cluster.startKafka();
            cluster.startRedis();
            cluster.startOrigin();
            cluster.startLinks();
            cluster.startApps();
            new Readiness(cluster.apps, readyTimeout).await();
            cluster.description().write(workspace.clusterFile());
            return cluster;
        } catch (RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    /** Records the launcher itself when it stays in the foreground, so {@code down} elsewhere can end it too. */
    void recordLauncher() {
        ledger.record("launcher", ProcessHandle.current());
    }

    ClusterDescription description() {
        List<ClusterDescription.Region> regions = plan.regions().stream()
                .map(region -> new ClusterDescription.Region(
                        region.name(),
                        region.gatewayUrl(),
                        plan.withReplicator() ? region.replicatorUrl() : null,
                        List.of(redis.get(region.name()).address())))
                .toList();
        return new ClusterDescription(kafka.bootstrapServers(), regions, null, originUrl, linksUrl);
    }

    /** The processes of the cluster that died on their own (none once stopping): the foreground launcher says so. */
    List<String> deadProcesses() {
        List<String> dead = new ArrayList<>();
        if (stopping) {
            return dead;
        }
        apps.stream()
                .filter(app -> !app.process().isAlive())
                .forEach(app -> dead.add(app.process().toString()));
        redis.forEach((region, node) -> {
            if (!node.isRunning()) {
                dead.add(region + " redis");
            }
        });
        if (kafka != null && !kafka.isRunning()) {
            dead.add("kafka");
        }
        if (origin != null && !origin.isAlive()) {
            dead.add(ChildService.DEMO_ORIGIN.title());
        }
        if (links != null && !links.isAlive()) {
            dead.add(ChildService.REGION_LINKS.title());
        }
        return dead;
    }

    /** Stops apps first (they flush to Kafka and Redis on shutdown), then Redis, then Kafka; removes the records. */
    synchronized void stop() {
        stopping = true;
        apps.parallelStream().forEach(app -> app.process().stop(APP_STOP_GRACE));
        redis.values().forEach(RedisNode::stop);
        if (origin != null) {
            origin.stop(APP_STOP_GRACE);
        }
        if (links != null) {
            links.stop(APP_STOP_GRACE);
        }
        if (kafka != null) {
            kafka.stop();
        }
        deleteQuietly(workspace.clusterFile());
        ledger.delete();
    }

    private void startKafka() {
        out.println("[meridian] starting kafka (KRaft, ~10 s)...");
        out.flush();
        // One listener per link, advertised on the link's proxy: a replicator reading another region's events
        // through it is told to reconnect to the proxy, never to the broker itself.
        List<KafkaBroker.Listener> listeners = plan.links().stream()
                .map(link -> new KafkaBroker.Listener(link.kafkaListener(), link.brokerPort(), link.kafkaPort()))
                .toList();
        kafka = KafkaBroker.start(workspace.kafkaDir(), workspace.log("kafka"), listeners);
        ledger.record("kafka", handle(kafka.pid()));
    }

    private void startRedis() {
        for (RegionPlan region : plan.regions()) {
            Path dir = workspace.regionDir(region.name()).resolve("redis");
            RedisNode node = RedisNode.start(0, List.of(), dir, workspace.log(region.name() + "-redis"));
            redis.put(region.name(), node);
            ledger.record(region.name() + " redis", handle(node.pid()));
        }
    }

    /** The demo origin behind the default namespaces, when the plan asks for it (module {@code infra/demo-origin}). */
    private void startOrigin() {
        if (!plan.withOrigin()) {
            return;
        }
        int port = LoopbackPorts.free();
        origin = startService(
                ChildService.DEMO_ORIGIN,
                "-Xmx128m",
                workspace.home().resolve("origin"),
                "origin",
                Integer.toString(port),
                Long.toString(ORIGIN_LATENCY.toMillis()),
                Integer.toString(ORIGIN_USERS),
                Integer.toString(ORIGIN_TWEETS));
        originUrl = "http://" + LoopbackPorts.HOST + ":" + port;
        awaitHealthy(origin, "the " + ChildService.DEMO_ORIGIN.title(), originUrl + "/health");
    }

    /**
     * The proxies between regions, in a process of their own so that they outlive a detached launcher: per link an
     * HTTP proxy in front of the destination's gateway and a Kafka proxy in front of the broker's listener for the
     * link, and the control interface drills use to cut, delay and heal them.
     */
    private void startLinks() {
        if (plan.links().isEmpty()) {
            return;
        }
        Map<String, Integer> gatewayPorts = new LinkedHashMap<>();
        plan.regions().forEach(region -> gatewayPorts.put(region.name(), region.gatewayPort()));
        List<LinkSpec> specs = new ArrayList<>();
        for (RegionLink link : plan.links()) {
            specs.add(
                    new LinkSpec(link.from(), link.to(), LinkSpec.HTTP, link.httpPort(), gatewayPorts.get(link.to())));
            specs.add(new LinkSpec(link.from(), link.to(), LinkSpec.KAFKA, link.kafkaPort(), link.brokerPort()));
        }
        Path spec = workspace.home().resolve("links.json");
        try {
            new RegionLinks.Spec(specs).write(spec);
        } catch (IOException e) {
            throw new ClusterException("cannot write " + spec + ": " + e.getMessage(), e);
        }
        links = startService(
                ChildService.REGION_LINKS,
                "-Xmx64m",
                workspace.home(),
                "links",
                Integer.toString(plan.linksControlPort()),
                spec.toString());
        linksUrl = "http://" + LoopbackPorts.HOST + ":" + plan.linksControlPort();
        awaitHealthy(links, "the " + ChildService.REGION_LINKS.title(), linksUrl + "/links");
    }

    /** Starts {@code service}'s jar in a small JVM of its own and records it. */
    private ChildProcess startService(ChildService service, String maxHeap, Path workDir, String log, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                maxHeap,
                "-XX:+UseSerialGC",
                "-jar",
                service.jar(workspace).toString()));
        command.addAll(List.of(args));
        ChildProcess process = ChildProcess.start(service.title(), command, workDir, workspace.log(log), Map.of());
        ledger.record(service.title(), process.handle());
        return process;
    }

    /** Waits until {@code url} answers 200, failing when {@code process} exits or 60 s pass. */
    private static void awaitHealthy(ChildProcess process, String what, String url) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpProbe probe = new HttpProbe();
        while (probe.statusCode(url) != 200) {
            if (!process.isAlive()) {
                throw new ClusterException(what + " exited with code " + process.exitCode() + "; log "
                        + process.logFile() + ":\n" + process.logTail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException(what + " did not answer " + url + " within 60 s; log " + process.logFile());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for " + what);
            }
        }
    }

    /** @return the demo origin's base URL, or null when the cluster runs without one */
    String originUrl() {
        return originUrl;
    }

    private void startApps() {
        List<AppKind> kinds =
                plan.withReplicator() ? List.of(AppKind.GATEWAY, AppKind.REPLICATOR) : List.of(AppKind.GATEWAY);
        out.println("[meridian] starting "
                + String.join(" + ", kinds.stream().map(AppKind::id).toList()) + " in "
                + plan.regions().size() + " region(s), waiting until ready...");
        out.flush();
        for (RegionPlan region : plan.regions()) {
            for (AppKind kind : kinds) {
                apps.add(startApp(region, kind));
            }
        }
    }

    private QuarkusApp startApp(RegionPlan region, AppKind kind) {
        Path dir = workspace.regionDir(region.name());
        Path config = dir.resolve(kind.id() + ".properties");
        String settings = AppSettings.properties(
                plan, region, kind, redis.get(region.name()).uri(), kafka.bootstrapServers(), originUrl);
        try {
            Files.createDirectories(dir);
            Files.writeString(config, settings);
        } catch (IOException e) {
            throw new ClusterException("cannot write " + config + ": " + e.getMessage(), e);
        }
        String baseUrl = kind == AppKind.GATEWAY ? region.gatewayUrl() : region.replicatorUrl();
        Path log = workspace.log(region.name() + "-" + kind.id());
        QuarkusApp app = QuarkusApp.start(region.name(), kind, baseUrl, workspace.appJar(kind), config, dir, log);
        ledger.record(app.name(), app.process().handle());
        return app;
    }

    private static ProcessHandle handle(long pid) {
        return ProcessHandle.of(pid).orElseThrow(() -> new ClusterException("process " + pid + " exited at once"));
    }

    static void requireJar(Workspace workspace, AppKind kind) {
        if (!Files.isRegularFile(workspace.appJar(kind))) {
            throw new ClusterException("no " + kind.id() + " jar at " + workspace.appJar(kind) + "; build it with: "
                    + "./mvnw -q install -DskipTests -pl " + kind.module() + " -am (./meridian does this for you)");
        }
    }

    /** Logs, configuration and Kafka data of an earlier cluster: Redis kept nothing either, so start clean. */
    private static void clearPreviousRun(Workspace workspace) {
        Stream.of(workspace.kafkaDir(), workspace.logs(), workspace.home().resolve("regions"))
                .forEach(LocalCluster::deleteRecursively);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new ClusterException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort on the way out; a stale cluster.json is detected by its dead PIDs.
        }
    }

    /** Polls every app's readiness endpoint until all answer 200, one dies, or time runs out. */
    private record Readiness(List<QuarkusApp> apps, Duration timeout) {

        void await() {
            HttpProbe probe = new HttpProbe();
            List<QuarkusApp> waiting = new ArrayList<>(apps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!waiting.isEmpty()) {
                for (QuarkusApp app : List.copyOf(waiting)) {
                    ChildProcess process = app.process();
                    if (!process.isAlive()) {
                        throw new ClusterException(app.name() + " exited with code " + process.exitCode()
                                + " before it was ready; log " + process.logFile() + ":\n" + process.logTail(30));
                    }
                    if (probe.isReady(app.baseUrl())) {
                        waiting.remove(app);
                    }
                }
                if (!waiting.isEmpty() && System.nanoTime() > deadline) {
                    QuarkusApp late = waiting.get(0);
                    throw new ClusterException(late.name() + " was not ready (GET " + late.baseUrl()
                            + "/q/health/ready) within " + timeout.toSeconds() + " s; log "
                            + late.process().logFile()
                            + ":\n" + late.process().logTail(30));
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for the regions to be ready");
            }
        }
    }
}

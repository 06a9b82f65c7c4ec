package io.meridian.infra.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code ./meridian bench peers}: the gateway side by side with Webdis (the C HTTP front of Redis) in one run, on the
 * same Redis, at the same concurrency, with the same load generator ({@code wrk}) for both, and {@code
 * redis-benchmark} as the limit. For each value size it measures, on keys that are all present: the gateway's GET of
 * random keys through Redis (a namespace without near cache) and with the near cache, its GET of one hot key, its PUT
 * of keys homed in its region and of keys it forwards to another region; Webdis's GET of random keys, of one hot key,
 * and its SET. Every phase also reads the CPU time every server process used ({@link CpuReport}), given per request.
 */
public final class PeersBenchmark {

    /** How long the cluster is watched at rest before the load. */
    static final Duration IDLE = Duration.ofSeconds(10);

    /** Times the keys are written before a run gives up. */
    private static final int FILL_ATTEMPTS = 3;

    /** How a run is shaped. */
    public record Settings(
            Duration warmup,
            Duration phaseWarmup,
            Duration phase,
            int concurrency,
            int keys,
            List<Integer> valueSizes,
            String namespace,
            String nearCacheNamespace) {}

    /** What the bench needs of the cluster. */
    public record Cluster(
            List<String> regions,
            String home,
            String homeGateway,
            String remote,
            String homeRedis,
            Map<String, String> replicators,
            Map<String, Long> processes,
            Path workDir) {}

    private final Settings settings;
    private final PrintWriter out;

    public PeersBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public PeersRun run(Cluster cluster, String clusterState) {
        Wrk wrk = new Wrk(BenchTools.require("wrk", "wrk", out), cluster.workDir());
        Path webdisProgram = BenchTools.require("webdis", "webdis", out);
        BenchTools.require("redis-benchmark", "redis-tools", out);
        Map<String, Long> processes = new LinkedHashMap<>(cluster.processes());
        List<PeersRun.SizeRun> sizes = new ArrayList<>();
        PeersRun.Idle idle;
        try (WebdisServer webdis = WebdisServer.start(webdisProgram, cluster.homeRedis(), cluster.workDir())) {
            processes.put("webdis", webdis.pid());
            URI gateway = URI.create(cluster.homeGateway());
            quiesce(cluster);
            progress("measuring the cluster at rest for " + IDLE.toSeconds() + " s");
            Map<String, Long> rssIdle = ProcessMemory.rssKib(processes);
            CpuReport.Meter idleMeter = CpuReport.start(processes);
            Pause.sleep(IDLE);
            Map<String, Double> idleCores = idleMeter.stop().byProcess();
            boolean warm = false;
            for (int size : settings.valueSizes()) {
                String run = UUID.randomUUID().toString().substring(0, 6) + "-" + size;
                Keys keys = keys(cluster, run);
                fill(gateway, keys.local(), size);
                fill(gateway, keys.nearCached(), size);
                fill(webdis.base(), keys.webdisSets(), size);
                if (!warm) {
                    progress("warming up for " + settings.warmup().toSeconds() + " s");
                    wrk.run(gateway, "GET", keys.local(), 0, settings.concurrency(), settings.warmup());
                    wrk.run(gateway, "PUT", keys.localPuts(), size, settings.concurrency(), settings.warmup());
                    // The forwarding path has its own code to compile: without it, the first forwarded phase is cold.
                    wrk.run(gateway, "PUT", keys.forwardedPuts(), size, settings.concurrency(), settings.warmup());
                    warm = true;
                }
                List<PeersRun.Phase> phases = new ArrayList<>();
                Phases measure = new Phases(wrk, processes, phases, size, () -> quiesce(cluster));
                measure.run("GET, random keys, through Redis", "gateway", gateway, "GET", keys.local(), 0);
                measure.run("GET, random keys, near cache on", "gateway", gateway, "GET", keys.nearCached(), 0);
                measure.run("GET, one hot key (near cache)", "gateway", gateway, "GET", List.of(keys.hot()), 0);
                measure.run("GET, random keys", "webdis", webdis.base(), "GET", keys.webdisGets(), 0);
                measure.run("GET, one hot key", "webdis", webdis.base(), "GET", List.of(keys.webdisHot()), 0);
                measure.run("PUT, keys homed here", "gateway", gateway, "PUT", keys.localPuts(), size);
                measure.run(
                        "PUT, forwarded to " + cluster.remote(), "gateway", gateway, "PUT", keys.forwardedPuts(), size);
                measure.run("SET, random keys", "webdis", webdis.base(), "PUT", keys.webdisSets(), size);
                Optional<RedisBenchmarkReference.Figures> reference =
                        RedisBenchmarkReference.run(cluster.homeRedis(), settings.concurrency(), size, out);
                sizes.add(new PeersRun.SizeRun(size, phases, reference));
            }
            idle = new PeersRun.Idle(idleCores, rssIdle, ProcessMemory.rssKib(processes));
        }
        return new PeersRun(settings, cluster.home(), cluster.remote(), clusterState, idle, sizes);
    }

    /** The paths of one value size: gateway keys (homed here, and homed in the remote region), and Webdis keys. */
    private record Keys(
            List<String> local,
            List<String> localPuts,
            List<String> nearCached,
            String hot,
            List<String> forwardedPuts,
            List<String> webdisGets,
            List<String> webdisSets,
            String webdisHot) {}

    private Keys keys(Cluster cluster, String run) {
        HomeKeys here = new HomeKeys("peers-" + run + "-", cluster.home(), cluster.regions());
        HomeKeys there = new HomeKeys("peers-" + run + "-fwd-", cluster.remote(), cluster.regions());
        String ttl = "?ttl=3600s";
        List<String> local = new ArrayList<>();
        List<String> localPuts = new ArrayList<>();
        List<String> nearCached = new ArrayList<>();
        List<String> forwarded = new ArrayList<>();
        List<String> webdisGets = new ArrayList<>();
        List<String> webdisSets = new ArrayList<>();
        for (int i = 0; i < settings.keys(); i++) {
            String key = here.next();
            local.add("/v1/namespaces/" + settings.namespace() + "/keys/" + key);
            localPuts.add("/v1/namespaces/" + settings.namespace() + "/keys/" + key + ttl);
            nearCached.add("/v1/namespaces/" + settings.nearCacheNamespace() + "/keys/" + key);
            forwarded.add("/v1/namespaces/" + settings.namespace() + "/keys/" + there.next() + ttl);
            webdisGets.add("/GET/peers:" + run + ":" + i + ".txt");
            webdisSets.add("/SET/peers:" + run + ":" + i);
        }
        return new Keys(
                local, localPuts, nearCached, nearCached.get(0), forwarded, webdisGets, webdisSets, webdisGets.get(0));
    }

    /** Writes every path once (a PUT with the value), so that every GET finds its key. */
    private void fill(URI base, List<String> paths, int size) {
        fill(base, paths, size, settings.concurrency());
    }

    /** Writes every path once (a PUT with a value of {@code size} bytes), so that every GET finds its key. */
    static void fill(URI base, List<String> paths, int size, int concurrency) {
        Buffer value = Buffer.buffer(BenchValues.text(size));
        try (HttpLoadGenerator load = new HttpLoadGenerator(base, concurrency)) {
            // A cold gateway may refuse some of a burst of writes for load (503 with Retry-After); as a client does,
            // the fill writes again (every key: a PUT is idempotent), a few times.
            PhaseResult fill = null;
            for (int attempt = 0; attempt < FILL_ATTEMPTS; attempt++) {
                fill = load.run(
                        "fill",
                        Duration.ofMinutes(2),
                        i -> i < paths.size()
                                ? new HttpLoadGenerator.Request(HttpMethod.PUT, fillPath(paths.get((int) i)), value)
                                : null);
                if (fill.succeeded() == paths.size() && fill.failed() == 0) {
                    return;
                }
                Pause.sleep(Duration.ofSeconds(1));
            }
            throw new IllegalStateException("loading keys into " + base + " failed " + fill.failed() + " of "
                    + paths.size() + " writes " + fill.failures() + "; is the cluster ready? (./meridian status)");
        }
    }

    /** A gateway GET path gets its TTL for the write; Webdis paths are written as they are. */
    private static String fillPath(String path) {
        return path.startsWith("/v1/") && !path.contains("?") ? path + "?ttl=3600s" : path;
    }

    /** Runs the measured phases of one value size, each after a short warm-up of its own. */
    private final class Phases {

        private final Wrk wrk;
        private final Map<String, Long> processes;
        private final List<PeersRun.Phase> phases;
        private final int size;
        private final Runnable quiesce;

        Phases(Wrk wrk, Map<String, Long> processes, List<PeersRun.Phase> phases, int size, Runnable quiesce) {
            this.wrk = wrk;
            this.processes = processes;
            this.phases = phases;
            this.size = size;
            this.quiesce = quiesce;
        }

        void run(String path, String peer, URI base, String method, List<String> paths, int bodyBytes) {
            quiesce.run();
            progress(size + " B: " + peer + " " + path + " for "
                    + settings.phase().toSeconds() + " s");
            wrk.run(base, method, paths, bodyBytes, settings.concurrency(), settings.phaseWarmup());
            CpuReport.Meter cpu = CpuReport.start(processes);
            Wrk.Result result = wrk.run(base, method, paths, bodyBytes, settings.concurrency(), settings.phase());
            Map<String, Double> cpuMillis = cpu.cpuMillis();
            phases.add(new PeersRun.Phase(path, peer, result, cpuMillis));
        }
    }

    /**
     * Waits until every replicator has applied every region's writes (its applied count stopped moving), so that a
     * phase does not pay for the replication of the one before it; at most two minutes.
     */
    private void quiesce(Cluster cluster) {
        List<ReplicatorMetrics> counters = new ArrayList<>();
        cluster.replicators()
                .values()
                .forEach(url -> cluster.regions().forEach(source -> counters.add(new ReplicatorMetrics(url, source))));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<Long> last = applied(counters);
        while (System.nanoTime() < deadline) {
            Pause.sleep(Duration.ofSeconds(1));
            List<Long> now = applied(counters);
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
        progress("replication still applying after 2 minutes; measuring anyway");
    }

    private static List<Long> applied(List<ReplicatorMetrics> counters) {
        return counters.stream().map(counter -> counter.applied().orElse(-1)).toList();
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}

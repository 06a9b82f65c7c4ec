package io.meridian.infra.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@code ./meridian bench overload}: one gateway offered writes at several times the rate it sustains. First a closed
 * loop of PUTs of keys homed in the gateway's region finds that rate; an open loop at a quarter of it gives the
 * unloaded latency; then an open loop at {@code multiple} times the rate measures what is acknowledged, how fast, and
 * what is refused. Afterwards the region's event log is read back: no write refused with {@code 503 overloaded} may
 * be in it, and every acknowledged write must be.
 */
public final class OverloadBenchmark {

    /** How a run is shaped. */
    public record Settings(
            Duration warmup, Duration phase, int concurrency, double multiple, int maxInFlight, int valueBytes) {}

    /** What the bench needs of the cluster. */
    public record Cluster(String region, List<String> regions, String gateway, String kafka) {}

    /** The unloaded phase's rate, as a share of the sustainable one. */
    static final double UNLOADED_SHARE = 0.25;

    private static final String NAMESPACE = "tweets";
    private static final String TTL = "?ttl=600s";
    private static final Duration LEVEL_WAIT = Duration.ofSeconds(90);
    private static final HttpClient STATUS =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final PrintWriter out;

    public OverloadBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public OverloadRun run(Cluster cluster) {
        String run = "ovl-" + UUID.randomUUID().toString().substring(0, 8);
        URI gateway = URI.create(cluster.gateway());
        Buffer value = Buffer.buffer(BenchValues.text(settings.valueBytes()));
        HomeKeys warmKeys = new HomeKeys(run + "-warm-", cluster.region(), cluster.regions());
        HomeKeys peakKeys = new HomeKeys(run + "-peak-", cluster.region(), cluster.regions());
        PhaseResult peak;
        try (HttpLoadGenerator closed = new HttpLoadGenerator(gateway, settings.concurrency())) {
            progress("warming up for " + settings.warmup().toSeconds() + " s");
            closed.run("warm-up", settings.warmup(), i -> put(warmKeys.next(), value));
            progress("closed loop of " + settings.concurrency() + " connections for "
                    + settings.phase().toSeconds() + " s: the sustainable rate");
            awaitNormal(gateway);
            peak = closed.run("peak", settings.phase(), i -> put(peakKeys.next(), value));
        }
        if (peak.succeeded() == 0) {
            throw new IllegalStateException("the gateway acknowledged no write in the closed loop: " + peak.failures());
        }
        int sustainable = (int) Math.max(1, Math.round(peak.throughput()));
        int unloadedRate = (int) Math.max(1, Math.round(sustainable * UNLOADED_SHARE));
        int overloadRate = (int) Math.max(1, Math.round(sustainable * settings.multiple()));
        OpenLoopWrites.Result unloaded;
        OpenLoopWrites.Result overload;
        List<String> unloadedKeys = keys(run + "-low-", cluster, unloadedRate);
        List<String> overloadKeys = keys(run + "-over-", cluster, overloadRate);
        try (OpenLoopWrites open = new OpenLoopWrites(gateway, settings.maxInFlight())) {
            awaitNormal(gateway);
            progress("open loop at " + unloadedRate + " writes/s: the unloaded latency");
            unloaded = open.run(unloadedRate, settings.phase(), i -> path(unloadedKeys.get((int) i)), value);
            awaitNormal(gateway);
            progress("open loop at " + overloadRate + " writes/s (" + settings.multiple() + "× " + sustainable + ")");
            overload = open.run(overloadRate, settings.phase(), i -> path(overloadKeys.get((int) i)), value);
        }
        String levelAfter = level(gateway);
        progress("reading the event log of " + cluster.region() + " back");
        Set<String> logged = EventLogKeys.read(cluster.kafka(), cluster.region(), NAMESPACE + "/" + run + "-");
        long refusedInLog = count(unloaded.refusedIndices(), unloadedKeys, logged, true)
                + count(overload.refusedIndices(), overloadKeys, logged, true);
        long acknowledgedMissing = count(unloaded.acknowledgedIndices(), unloadedKeys, logged, false)
                + count(overload.acknowledgedIndices(), overloadKeys, logged, false);
        return new OverloadRun(
                cluster.region(),
                setup(cluster),
                settings.multiple(),
                new OverloadRun.Peak(settings.concurrency(), peak.throughput(), peak.p99Millis(), peak.failed()),
                OverloadRun.Phase.of(unloadedRate, unloaded),
                OverloadRun.Phase.of(overloadRate, overload),
                refusedInLog,
                acknowledgedMissing,
                levelAfter);
    }

    /**
     * Waits (at most {@link #LEVEL_WAIT}) until the gateway's degradation level is back to NORMAL, so that a phase
     * does not start in the degraded mode the phase before it caused (a cold gateway's first seconds can raise it).
     */
    private void awaitNormal(URI gateway) {
        long deadline = System.nanoTime() + LEVEL_WAIT.toNanos();
        String level = level(gateway);
        if (!level.equals("NORMAL")) {
            progress("waiting for the gateway's degradation level to return to NORMAL (now " + level + ")");
        }
        while (!level.equals("NORMAL") && System.nanoTime() < deadline) {
            Pause.sleep(Duration.ofSeconds(1));
            level = level(gateway);
        }
        if (!level.equals("NORMAL")) {
            progress("the level is still " + level + " after " + LEVEL_WAIT.toSeconds() + " s; measuring anyway");
        }
    }

    /** The gateway's degradation level from {@code /v1/status}, or {@code "unknown"}. */
    private static String level(URI gateway) {
        try {
            HttpResponse<byte[]> answer = STATUS.send(
                    HttpRequest.newBuilder(gateway.resolve("/v1/status"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return JSON.readTree(answer.body()).path("level").asText("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The keys of one open-loop phase, one per write it offers, by index. */
    private List<String> keys(String prefix, Cluster cluster, int rate) {
        HomeKeys keys = new HomeKeys(prefix, cluster.region(), cluster.regions());
        long total = (long) Math.ceil(settings.phase().toNanos() / 1e9 * rate);
        List<String> list = new ArrayList<>((int) total);
        for (long i = 0; i < total; i++) {
            list.add(keys.next());
        }
        return list;
    }

    /** How many of the writes {@code indices} have their key in the log ({@code present}) or not. */
    private static long count(List<Long> indices, List<String> keys, Set<String> logged, boolean present) {
        Set<Long> distinct = new HashSet<>(indices);
        return distinct.stream()
                .filter(i -> logged.contains(NAMESPACE + "/" + keys.get(i.intValue())) == present)
                .count();
    }

    private static HttpLoadGenerator.Request put(String key, Buffer value) {
        return new HttpLoadGenerator.Request(HttpMethod.PUT, path(key), value);
    }

    private static String path(String key) {
        return "/v1/namespaces/" + NAMESPACE + "/keys/" + key + TTL;
    }

    private String setup(Cluster cluster) {
        return String.format(
                Locale.ROOT,
                "gateway %s (%s), PUTs of %d B values to fresh keys homed there; warm-up %d s; each phase %d s; the"
                        + " sustainable rate from a closed loop of %d connections, the unloaded latency from an open"
                        + " loop at %.0f%% of it, then an open loop at %.0f× it (at most %d writes in flight, latency"
                        + " from when each write was due); then the region's event log read back",
                cluster.gateway(),
                cluster.region(),
                settings.valueBytes(),
                settings.warmup().toSeconds(),
                settings.phase().toSeconds(),
                settings.concurrency(),
                UNLOADED_SHARE * 100,
                settings.multiple(),
                settings.maxInFlight());
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}

package io.meridian.infra.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * {@code ./meridian bench http}: single-region PUT and GET throughput and latency of a gateway at a fixed
 * concurrency, with {@code redis-benchmark} against the same region's Redis as the reference for what the hardware
 * allows.
 *
 * <p>Order: write every key once (so GETs hit), warm up with a PUT/GET mix, measure PUT, then measure GET. Keys are
 * unique to the run ({@code bench-<run>-<i>}) so a run never reads a previous run's values.
 */
public final class HttpBenchmark {

    private final LoadSettings settings;
    private final PrintWriter out;

    public HttpBenchmark(LoadSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs against {@code gatewayUrl}, and {@code redis-benchmark} against {@code redisAddress} when the tool exists.
     */
    public BenchmarkRun run(String region, String gatewayUrl, String redisAddress) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Buffer value = Buffer.buffer(BenchValues.text(settings.valueBytes()));
        List<String> paths = keyPaths(run);
        try (HttpLoadGenerator load = new HttpLoadGenerator(URI.create(gatewayUrl), settings.concurrency())) {
            progress("loading " + settings.keys() + " keys and warming up for "
                    + settings.warmup().toSeconds() + " s");
            PhaseResult fill =
                    load.run("fill", Duration.ofMinutes(2), i -> i < paths.size() ? put(paths, i, value) : null);
            requireHealthy(fill);
            load.run("warm-up", settings.warmup(), i -> i % 2 == 0 ? put(paths, i, value) : get(paths, i));
            progress("measuring PUT for " + settings.phase().toSeconds() + " s");
            PhaseResult puts = load.run("PUT", settings.phase(), i -> put(paths, i, value));
            progress("measuring GET for " + settings.phase().toSeconds() + " s");
            PhaseResult gets = load.run("GET", settings.phase(), i -> get(paths, i));
            Optional<RedisBenchmarkReference.Figures> reference =
                    RedisBenchmarkReference.run(redisAddress, settings.concurrency(), out);
            return new BenchmarkRun(region, gatewayUrl, settings, puts, gets, reference);
        }
    }

    private HttpLoadGenerator.Request put(List<String> paths, long i, Buffer value) {
        String path =
                paths.get((int) (i % paths.size())) + "?ttl=" + settings.ttl().toSeconds() + "s";
        return new HttpLoadGenerator.Request(HttpMethod.PUT, path, value);
    }

    private static HttpLoadGenerator.Request get(List<String> paths, long i) {
        // A multiplicative hash spreads consecutive requests over the key set, as independent clients would.
        int index = (int) Long.remainderUnsigned(i * 0x9E3779B97F4A7C15L, paths.size());
        return new HttpLoadGenerator.Request(HttpMethod.GET, paths.get(index), null);
    }

    private List<String> keyPaths(String run) {
        String prefix = "/v1/namespaces/" + settings.namespace() + "/keys/bench-" + run + "-";
        return IntStream.range(0, settings.keys()).mapToObj(i -> prefix + i).toList();
    }

    /** A fill that failed most of its writes would measure error paths, not the cache: stop and say why. */
    private static void requireHealthy(PhaseResult fill) {
        if (fill.succeeded() == 0 || fill.failed() > fill.succeeded() / 100) {
            throw new IllegalStateException("the gateway failed " + fill.failed() + " of "
                    + (fill.failed() + fill.succeeded()) + " writes while loading keys " + fill.failures()
                    + "; is it ready? (./meridian status)");
        }
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}

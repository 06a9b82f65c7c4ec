package io.meridian.infra.bench;

import io.meridian.infra.cluster.MachineDescription;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * {@code ./meridian bench stampede}: how many origin calls a stampede costs. Each round invalidates one key of the
 * demo origin ({@code DELETE}, so every region holds a tombstone and must load again), waits for the delete to reach
 * every region, then sends {@code readers} concurrent GETs of it spread over every region's gateway at once, and
 * reads the origin's own request counter before and after.
 */
public final class StampedeBenchmark {

    private static final String NAMESPACE = "tweets";
    private static final int ORIGIN_ROWS = 100_000;
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final int rounds;
    private final int readers;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public StampedeBenchmark(int rounds, int readers, PrintWriter out) {
        if (rounds < 1 || readers < 1 || readers > 2_000) {
            throw new IllegalArgumentException("rounds must be positive and readers 1..2000");
        }
        this.rounds = rounds;
        this.readers = readers;
        this.out = out;
    }

    /** The figures of one run. */
    public record Run(
            List<String> regions,
            int rounds,
            int readers,
            List<Long> originCalls,
            long failed,
            java.util.Map<String, Long> failures,
            Histogram latencyMicros) {

        long maxCalls() {
            return originCalls.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        double meanCalls() {
            return originCalls.stream().mapToLong(Long::longValue).average().orElse(0);
        }

        boolean met() {
            return maxCalls() <= regions.size() && failed == 0;
        }

        public List<String> consoleLines(MachineDescription machine, String command) {
            return List.of(
                    "bench stampede: " + setup(),
                    "machine: " + machine,
                    String.format(
                            Locale.ROOT,
                            "origin calls per stampede: mean %.2f, max %d (per round: %s)",
                            meanCalls(),
                            maxCalls(),
                            originCalls),
                    String.format(
                            Locale.ROOT,
                            "stampede GETs: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failed %s",
                            latencyMicros.getValueAtPercentile(50) / 1000.0,
                            latencyMicros.getValueAtPercentile(99) / 1000.0,
                            latencyMicros.getMaxValue() / 1000.0,
                            failed,
                            failures),
                    "verdict: " + verdict(),
                    "command: " + command);
        }

        public String markdownSection(MachineDescription machine, String command) {
            return BenchmarkLog.sectionHeader(machine, "stampede", command)
                    + "- Setup: " + setup() + "\n\n"
                    + "| what | value |\n| --- | ---: |\n"
                    + String.format(Locale.ROOT, "| origin calls per stampede, mean | %.2f |%n", meanCalls())
                    + String.format(Locale.ROOT, "| origin calls per stampede, max | %d |%n", maxCalls())
                    + String.format(
                            Locale.ROOT,
                            "| stampede GET p50 / p99 / max (ms) | %.2f / %.2f / %.2f |%n",
                            latencyMicros.getValueAtPercentile(50) / 1000.0,
                            latencyMicros.getValueAtPercentile(99) / 1000.0,
                            latencyMicros.getMaxValue() / 1000.0)
                    + String.format(Locale.ROOT, "| failed GETs | %d %s |%n", failed, failures)
                    + "\nPer round: " + originCalls + ".\n\n**Verdict**: " + verdict() + "\n";
        }

        private String verdict() {
            return String.format(
                    Locale.ROOT,
                    "%s: at most %d origin call(s) per stampede of %d readers over %d regions (target: 1 per region)",
                    met() ? "target met" : "target not met",
                    maxCalls(),
                    readers,
                    regions.size());
        }

        private String setup() {
            return String.format(
                    Locale.ROOT,
                    "%d rounds; each invalidates one key of the demo origin (DELETE, then %d ms for it to reach every"
                            + " region) and sends %d concurrent GETs spread over the gateways of %s; origin calls read"
                            + " from the demo origin's own counter",
                    rounds,
                    SETTLE.toMillis(),
                    readers,
                    String.join(", ", regions));
        }
    }

    /** Runs against {@code gateways} (region name → base URL) backed by the demo origin at {@code originUrl}. */
    public Run run(List<String> regions, List<String> gateways, String originUrl) {
        Histogram latency = new Histogram(60_000_000L, 3);
        List<Long> calls = new ArrayList<>();
        long failed = 0;
        java.util.Map<String, Long> failures = new java.util.TreeMap<>();
        Set<Long> used = new HashSet<>();
        for (int round = 1; round <= rounds; round++) {
            long id;
            do {
                id = 1 + ThreadLocalRandom.current().nextInt(ORIGIN_ROWS);
            } while (!used.add(id));
            String path = "/v1/namespaces/" + NAMESPACE + "/keys/tweet:" + id;
            int deleted = send(
                    HttpRequest.newBuilder(URI.create(gateways.get(0) + path)).DELETE());
            if (deleted != 200) {
                throw new IllegalStateException("DELETE " + path + " answered " + deleted + "; is the cluster ready?");
            }
            pause(SETTLE);
            long before = originRequests(originUrl);
            failed += stampede(gateways, path, latency, failures);
            calls.add(originRequests(originUrl) - before);
            out.println("[bench] round " + round + " of " + rounds + ": " + calls.get(calls.size() - 1)
                    + " origin call(s)");
            out.flush();
        }
        return new Run(regions, rounds, readers, calls, failed, failures, latency);
    }

    private long stampede(List<String> gateways, String path, Histogram latency, java.util.Map<String, Long> failures) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>(readers);
        for (int i = 0; i < readers; i++) {
            URI uri = URI.create(gateways.get(i % gateways.size()) + path);
            long started = System.nanoTime();
            answers.add(http.sendAsync(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> {
                        boolean ok = failure == null && response.statusCode() == 200;
                        synchronized (latency) {
                            latency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
                            if (!ok) {
                                String cause = failure != null
                                        ? failure.getClass().getSimpleName()
                                        : Integer.toString(response.statusCode());
                                failures.merge(cause, 1L, Long::sum);
                            }
                        }
                        return ok;
                    }));
        }
        return answers.stream().filter(answer -> !answer.join()).count();
    }

    private long originRequests(String originUrl) {
        HttpResponse<String> metrics = get(originUrl + "/metrics");
        String prefix = "meridian_demo_origin_requests_total{table=\"" + NAMESPACE + "\"";
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToLong(line ->
                        Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim()))
                .sum();
    }

    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

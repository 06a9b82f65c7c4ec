package io.meridian.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load of PUTs at a fixed rate ({@link RateSchedule}, {@link OpenLoopPacer}): writes are sent when they
 * are due, however late the answers are, so an overloaded gateway shows as refusals and latency instead of lowering
 * the load it is offered. Latency is measured from the moment a write was due, so time spent waiting for a
 * connection counts (no coordinated omission). Each write's outcome is kept by its index, so the caller can check
 * which writes reached the event log.
 */
final class OpenLoopWrites implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long TICK_MILLIS = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answers that refuse a write for load, before it does anything. */
    static final java.util.Set<String> REFUSALS = java.util.Set.of("503 overloaded", "503 shed", "503 read-only");

    private final Vertx vertx;
    private final HttpClient http;
    private final int maxInFlight;

    OpenLoopWrites(URI gateway, int maxInFlight) {
        this.maxInFlight = maxInFlight;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(gateway.getHost())
                .setDefaultPort(gateway.getPort())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) REQUEST_TIMEOUT.toMillis());
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxInFlight));
    }

    /**
     * What one run of writes came to.
     *
     * @param offered writes the schedule held
     * @param acknowledged writes answered 2xx
     * @param refusedIndices the indices of the writes refused for load ({@code 503 overloaded}, {@code shed} or {@code
     *     read-only})
     * @param failures the other outcomes, by HTTP status and problem type ({@code "503 timeout"}) or exception
     * @param skipped writes not sent because {@code maxInFlight} were unanswered
     * @param latencyMicros of acknowledged writes, from the moment each was due
     */
    record Result(
            long offered,
            long acknowledged,
            List<Long> acknowledgedIndices,
            List<Long> refusedIndices,
            Map<String, Long> failures,
            long skipped,
            Duration length,
            Histogram latencyMicros) {

        double acknowledgedPerSecond() {
            return acknowledged / (length.toNanos() / 1e9);
        }

        double p99Millis() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1000.0;
        }

        double p50Millis() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(50) / 1000.0;
        }
    }

    /**
     * Offers {@code rate} writes per second for {@code length}: write {@code i} is a PUT of {@code value} to {@code
     * path.apply(i)}. Returns once every write has been answered or has failed.
     */
    Result run(int rate, Duration length, LongFunction<String> path, Buffer value) {
        RateSchedule schedule = new RateSchedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), rate, length);
        Run run = new Run(schedule, path, value);
        vertx.runOnContext(ignored -> run.tick());
        try {
            if (!run.done.await(length.plus(REQUEST_TIMEOUT).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("open-loop writes did not finish: answers are hanging");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return run.result(length);
    }

    /** The state of one run; its methods run on the single event loop. */
    private final class Run implements OpenLoopPacer.Sender {
        private final RateSchedule schedule;
        private final OpenLoopPacer pacer;
        private final LongFunction<String> path;
        private final Buffer value;
        private final CountDownLatch done = new CountDownLatch(1);
        private final Histogram latency = new Histogram(3);
        private final List<Long> acknowledged = new ArrayList<>();
        private final List<Long> refused = new ArrayList<>();
        private final Map<String, Long> failures = new TreeMap<>();
        private int inFlight;
        private long skipped;
        private boolean sendingDone;

        Run(RateSchedule schedule, LongFunction<String> path, Buffer value) {
            this.schedule = schedule;
            this.pacer = new OpenLoopPacer(schedule, maxInFlight);
            this.path = path;
            this.value = value;
        }

        void tick() {
            long now = System.nanoTime();
            if (pacer.tick(now, inFlight, this)) {
                sendingDone = true;
                maybeFinish();
                return;
            }
            long untilNext = schedule.at(pacer.handled()) - now;
            vertx.setTimer(Math.max(TICK_MILLIS, TimeUnit.NANOSECONDS.toMillis(untilNext)), id -> tick());
        }

        @Override
        public void send(long index, long dueNanos) {
            inFlight++;
            put(path.apply(index)).onComplete(answer -> {
                inFlight--;
                if (answer.succeeded() && answer.result().status() < 300) {
                    acknowledged.add(index);
                    latency.recordValue(Math.max(1, (System.nanoTime() - dueNanos) / 1000));
                } else if (answer.succeeded()) {
                    String outcome = answer.result().status() + " "
                            + problemType(answer.result().body());
                    if (REFUSALS.contains(outcome)) {
                        refused.add(index);
                    } else {
                        failures.merge(outcome, 1L, Long::sum);
                    }
                } else {
                    failures.merge(answer.cause().getClass().getSimpleName(), 1L, Long::sum);
                }
                maybeFinish();
            });
        }

        @Override
        public void skip(long index, long dueNanos) {
            skipped++;
        }

        private Future<Answer> put(String path) {
            return http.request(HttpMethod.PUT, path)
                    .compose(request -> {
                        request.idleTimeout(REQUEST_TIMEOUT.toMillis());
                        return request.putHeader("Content-Type", "text/plain").send(value);
                    })
                    .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
        }

        private void maybeFinish() {
            if (sendingDone && inFlight == 0) {
                done.countDown();
            }
        }

        Result result(Duration length) {
            return new Result(
                    schedule.total(),
                    acknowledged.size(),
                    List.copyOf(acknowledged),
                    List.copyOf(refused),
                    Map.copyOf(failures),
                    skipped,
                    length,
                    latency);
        }
    }

    private record Answer(int status, Buffer body) {}

    /** The last segment of a problem's {@code type}, or {@code "?"} when the body is not a problem. */
    static String problemType(Buffer body) {
        try {
            JsonNode type = JSON.readTree(body.getBytes()).get("type");
            if (type == null || !type.isTextual()) {
                return "?";
            }
            String text = type.asText();
            return text.substring(text.lastIndexOf('/') + 1);
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        http.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

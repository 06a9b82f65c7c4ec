package io.meridian.infra.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop HTTP load generator: {@code concurrency} connections, each sending its next request as soon as the
 * previous one answered, for a fixed time.
 *
 * <p>One Vert.x event loop drives all connections: on a 2-core machine the generator shares the CPU with the
 * gateway it measures, and an event loop costs far less CPU per request than a thread per connection.
 */
final class HttpLoadGenerator implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpClient client;
    private final int concurrency;

    /** One request of a phase: method, path and body. */
    public record Request(HttpMethod method, String path, Buffer body) {}

    public HttpLoadGenerator(URI base, int concurrency) {
        this.concurrency = concurrency;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) REQUEST_TIMEOUT.toMillis());
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(concurrency));
    }

    /**
     * Runs requests {@code requests.apply(0)}, {@code apply(1)}, ... for {@code length}, or until it returns null,
     * and returns the figures.
     * Requests still in flight when time is up complete (bounded by the request timeout) but are not counted.
     */
    public PhaseResult run(String name, Duration length, LongFunction<Request> requests) {
        Phase phase = new Phase(requests, System.nanoTime() + length.toNanos());
        long started = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(ignored -> phase.next());
        }
        try {
            if (!phase.done.await(length.plus(REQUEST_TIMEOUT).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish: requests are hanging");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + name, e);
        }
        Duration elapsed = Duration.ofNanos(Math.min(System.nanoTime(), phase.deadline) - started);
        return new PhaseResult(
                name, phase.succeeded.get(), phase.failures(), elapsed, phase.latency.getIntervalHistogram());
    }

    /** The state of one phase; its methods run on the single event loop. */
    private final class Phase {
        private final LongFunction<Request> requests;
        private final long deadline;
        private final AtomicLong sequence = new AtomicLong();
        private final AtomicLong succeeded = new AtomicLong();
        private final Map<String, Long> failures = new TreeMap<>();
        private final Recorder latency = new Recorder(3);
        private final CountDownLatch done = new CountDownLatch(concurrency);

        Phase(LongFunction<Request> requests, long deadline) {
            this.requests = requests;
            this.deadline = deadline;
        }

        void next() {
            if (System.nanoTime() >= deadline) {
                done.countDown();
                return;
            }
            Request request = requests.apply(sequence.getAndIncrement());
            if (request == null) {
                done.countDown();
                return;
            }
            long start = System.nanoTime();
            send(request).onComplete(result -> {
                long end = System.nanoTime();
                if (end < deadline) {
                    if (result.succeeded() && result.result() < 300) {
                        succeeded.incrementAndGet();
                        latency.recordValue(Math.max(1, (end - start) / 1000));
                    } else {
                        String cause = result.succeeded()
                                ? String.valueOf(result.result())
                                : result.cause().getClass().getSimpleName();
                        synchronized (failures) {
                            failures.merge(cause, 1L, Long::sum);
                        }
                    }
                }
                next();
            });
        }

        private Future<Integer> send(Request request) {
            return client.request(request.method(), request.path())
                    .compose(req -> {
                        req.idleTimeout(REQUEST_TIMEOUT.toMillis());
                        if (request.body() == null) {
                            return req.send();
                        }
                        return req.putHeader("Content-Type", "text/plain").send(request.body());
                    })
                    .compose(this::drain);
        }

        private Future<Integer> drain(HttpClientResponse response) {
            return response.body().map(body -> response.statusCode());
        }

        Map<String, Long> failures() {
            synchronized (failures) {
                return Map.copyOf(failures);
            }
        }
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

package io.meridian.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.coherence.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * The engine of {@code bench replication}: writes to the home region's gateway at a fixed rate (open loop, see
 * {@link OpenLoopPacer}) and follows a sample of the acknowledged writes in the other region's Redis until their
 * version shows there.
 *
 * <p>Everything runs on one Vert.x event loop, so the state needs no locks and the generator takes at most one core
 * of a machine it shares with the cluster it measures. Sampled writes are polled together: one pipelined batch of
 * {@code GETRANGE key 1 10} for the samples that are due, the next batch only once the previous one answered; a
 * sample is due ~1 ms after its ack and then every {@code max(1 ms, age / 20)}, so that a region that replicates
 * slowly cannot make the poller flood its Redis.
 */
final class ReplicationLoad implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long TICK_MILLIS = 1;
    private static final long POLL_MILLIS = 1;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
    private static final long BACKOFF_DIVISOR = 20;
    private static final int SLOWEST = 5;
    private static final int MAX_PENDING_SAMPLES = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReplicationSettings settings;
    private final PrintWriter out;
    private final Vertx vertx;
    private final HttpClient http;
    private final Redis redisClient;
    private final RedisConnection redis;
    private final boolean clustered;

    /**
     * @param gateway the home region's gateway
     * @param remoteRedis {@code host:port} of the other region's Redis nodes (one for the standalone topology)
     */
    ReplicationLoad(ReplicationSettings settings, URI gateway, List<String> remoteRedis, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(gateway.getHost())
                .setDefaultPort(gateway.getPort())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) REQUEST_TIMEOUT.toMillis());
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.maxInFlight()));
        this.clustered = remoteRedis.size() > 1;
        RedisOptions redisOptions = new RedisOptions()
                .setType(clustered ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setEndpoints(remoteRedis.stream().map(a -> "redis://" + a).toList())
                .setMaxWaitingHandlers(1 << 17);
        this.redisClient = Redis.createClient(vertx, redisOptions);
        try {
            this.redis = await(redisClient.connect(), "connecting to Redis " + remoteRedis);
        } catch (RuntimeException e) {
            redisClient.close();
            http.close();
            vertx.close();
            throw e;
        }
    }

    /** The other region's current generation for copies homed in {@code source} (0 until a gap was ever found). */
    long generation(String source) {
        Response value =
                await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.generation(source))), "reading the generation");
        return value == null ? 0 : value.toLong();
    }

    /**
     * Runs the warm-up and the measured window and returns the window's figures, once every write has been answered
     * and every sample seen or timed out.
     *
     * @param keys fresh keys homed in {@code home}
     * @param remoteKey the other region's Redis key for a key (its {@code RedisKeys.value})
     * @param window told, on the calling thread, when the measured window starts and ends
     */
    ReplicationFigures run(HomeKeys keys, String home, UnaryOperator<String> remoteKey, Window window) {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        RateSchedule schedule =
                new RateSchedule(start, settings.rate(), settings.warmup().plus(settings.duration()));
        long windowStart = start + settings.warmup().toNanos();
        long windowEnd = windowStart + settings.duration().toNanos();
        Run run = new Run(schedule, windowStart, windowEnd, keys, home, remoteKey);
        progress("warming up for " + settings.warmup().toSeconds() + " s at " + settings.rate() + " writes/s");
        vertx.runOnContext(ignored -> run.begin());
        sleepUntil(windowStart);
        window.started();
        progress("measuring for " + settings.duration().toSeconds() + " s");
        sleepUntil(windowEnd);
        window.ended();
        progress("waiting for the last answers and samples (at most "
                + settings.visibilityTimeout().plus(REQUEST_TIMEOUT).toSeconds() + " s)");
        long wait = settings.visibilityTimeout()
                .plus(REQUEST_TIMEOUT)
                .plusSeconds(20)
                .toMillis();
        try {
            if (!run.done.await(wait, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("bench replication did not finish: requests or polls are hanging");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return run.figures;
    }

    /** Hooks run on the caller's thread at the edges of the measured window. */
    interface Window {
        void started();

        void ended();
    }

    /** A write followed in the other region. */
    private static final class Sample {
        final String redisKey;
        final byte[] version;
        final long ackedAt;
        final boolean measured;
        long nextPollAt;
        boolean done;

        Sample(String redisKey, byte[] version, long ackedAt, boolean measured) {
            this.redisKey = redisKey;
            this.version = version;
            this.ackedAt = ackedAt;
            this.measured = measured;
            this.nextPollAt = ackedAt;
        }
    }

    private record Answer(int status, Buffer body) {}

    /** The state of one run; every method runs on the single event loop. */
    private final class Run implements OpenLoopPacer.Sender {
        private final RateSchedule schedule;
        private final OpenLoopPacer pacer;
        private final long windowStart;
        private final long windowEnd;
        private final HomeKeys keys;
        private final String home;
        private final UnaryOperator<String> remoteKey;
        private final Buffer value = Buffer.buffer(BenchValues.text(settings.valueBytes()));
        private final String pathPrefix;
        private final String ttl;
        private final long timeoutNanos = settings.visibilityTimeout().toNanos();
        private final CountDownLatch done = new CountDownLatch(1);
        private final List<Sample> pending = new ArrayList<>();
        private final Histogram ackMicros = new Histogram(3);
        private final Histogram sendLagMicros = new Histogram(3);
        private final Histogram visibleMicros = new Histogram(3);
        private final Map<String, Long> writeFailures = new TreeMap<>();
        private final Map<String, Long> sampleErrors = new TreeMap<>();
        /** The slowest samples as {@code [micros, ackedAt]}, fastest of them first. */
        private final PriorityQueue<long[]> slowest = new PriorityQueue<>(Comparator.comparingLong(s -> s[0]));

        private long sent;
        private long skipped;
        private long acked;
        private long samples;
        private long timeouts;
        private long polls;
        private int inFlight;
        private boolean sendingDone;
        private boolean batchInFlight;
        private long pollTimer = -1;
        private long pollTimerAt;
        private volatile ReplicationFigures figures;

        Run(
                RateSchedule schedule,
                long windowStart,
                long windowEnd,
                HomeKeys keys,
                String home,
                UnaryOperator<String> remoteKey) {
            this.schedule = schedule;
            this.pacer = new OpenLoopPacer(schedule, settings.maxInFlight());
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.keys = keys;
            this.home = home;
            this.remoteKey = remoteKey;
            this.pathPrefix = "/v1/namespaces/" + settings.namespace() + "/keys/";
            this.ttl = "?ttl=" + settings.ttl().toSeconds() + "s";
        }

        void begin() {
            tick();
        }

        /**
         * Sends what is due, then sleeps until the next write is due (at least 1 ms, the timer's resolution): at high
         * rates a tick every millisecond, at low rates no wake-up without a send.
         */
        private void tick() {
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
            boolean measured = dueNanos >= windowStart;
            String key = keys.next();
            boolean sampled = index % settings.sampleEvery() == 0;
            long sentAt = System.nanoTime();
            inFlight++;
            if (measured) {
                sent++;
                sendLagMicros.recordValue(Math.max(0, (sentAt - dueNanos) / 1000));
            }
            put(key).onComplete(result -> {
                inFlight--;
                long now = System.nanoTime();
                if (result.succeeded() && result.result().status() == 200) {
                    if (now >= windowStart && now < windowEnd) {
                        acked++;
                    }
                    if (measured) {
                        ackMicros.recordValue(Math.max(1, (now - sentAt) / 1000));
                    }
                    if (sampled) {
                        follow(key, result.result().body(), now, measured);
                    }
                } else if (measured) {
                    String cause = result.succeeded()
                            ? String.valueOf(result.result().status())
                            : result.cause().getClass().getSimpleName();
                    writeFailures.merge(cause, 1L, Long::sum);
                }
                maybeFinish();
            });
        }

        @Override
        public void skip(long index, long dueNanos) {
            if (dueNanos >= windowStart) {
                skipped++;
            }
        }

        private Future<Answer> put(String key) {
            return http.request(HttpMethod.PUT, pathPrefix + key + ttl)
                    .compose(request -> {
                        request.idleTimeout(REQUEST_TIMEOUT.toMillis());
                        return request.putHeader("Content-Type", "text/plain").send(value);
                    })
                    .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
        }

        /** Starts polling the other region for a sampled write's version. */
        private void follow(String key, Buffer answer, long ackedAt, boolean measured) {
            if (pending.size() >= MAX_PENDING_SAMPLES) {
                sampleError(measured, "not followed: " + MAX_PENDING_SAMPLES + " samples already pending");
                return;
            }
            byte[] version;
            try {
                JsonNode json = JSON.readTree(answer.getBytes());
                String answeredHome = json.path("home").asText();
                if (!answeredHome.equals(home)) {
                    sampleError(measured, "answer names home " + answeredHome + ", not " + home);
                    return;
                }
                version = Visibility.versionBytes(json.path("version").asText());
            } catch (IOException | IllegalArgumentException e) {
                sampleError(measured, "unreadable PUT answer");
                return;
            }
            pending.add(new Sample(remoteKey.apply(key), version, ackedAt, measured));
            if (!batchInFlight) {
                armPoll(ackedAt);
            }
        }

        /** Makes sure a poll runs by {@code dueNanos} (or within the timer's 1 ms resolution). */
        private void armPoll(long dueNanos) {
            long at = Math.max(dueNanos, System.nanoTime() + POLL_NANOS);
            if (pollTimer != -1) {
                if (pollTimerAt <= at) {
                    return;
                }
                vertx.cancelTimer(pollTimer);
            }
            pollTimerAt = at;
            long delay = Math.max(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime()));
            pollTimer = vertx.setTimer(delay, id -> {
                pollTimer = -1;
                poll();
            });
        }

        private void sampleError(boolean measured, String cause) {
            if (measured) {
                sampleErrors.merge(cause, 1L, Long::sum);
            }
        }

        /**
         * Polls the samples that are due, in one batch. A sample is polled ~1 ms after its ack, then again every
         * {@code max(1 ms, age / 20)}: a figure is high by at most ~1 ms or 5 %, and samples that replicate slowly do
         * not flood the other region's Redis (and the shared CPU) with polls.
         */
        private void poll() {
            if (pending.isEmpty()) {
                maybeFinish();
                return;
            }
            long issued = System.nanoTime();
            List<Sample> batch = pending.stream()
                    .filter(sample -> sample.nextPollAt <= issued)
                    .toList();
            if (batch.isEmpty()) {
                armPoll(earliestPoll());
                return;
            }
            if (issued >= windowStart && issued < windowEnd) {
                polls += batch.size();
            }
            batchInFlight = true;
            versions(batch).onComplete(result -> {
                batchInFlight = false;
                long now = System.nanoTime();
                if (result.failed()) {
                    sampleErrors.merge(
                            "poll failed: " + result.cause().getClass().getSimpleName(), 1L, Long::sum);
                }
                for (int i = 0; i < batch.size(); i++) {
                    Sample sample = batch.get(i);
                    Response stored = result.succeeded() ? result.result().get(i) : null;
                    long age = now - sample.ackedAt;
                    if (Visibility.visible(stored == null ? null : stored.toBytes(), sample.version)) {
                        sample.done = true;
                        if (sample.measured) {
                            samples++;
                            visibleMicros.recordValue(Math.max(1, age / 1000));
                            keepIfSlow(Math.max(1, age / 1000), sample.ackedAt);
                        }
                    } else if (age >= timeoutNanos) {
                        sample.done = true;
                        if (sample.measured) {
                            samples++;
                            timeouts++;
                            visibleMicros.recordValue(timeoutNanos / 1000);
                            keepIfSlow(timeoutNanos / 1000, sample.ackedAt);
                        }
                    } else {
                        // Polled once more at the timeout at the latest, so a late sample is never counted later.
                        sample.nextPollAt = Math.min(
                                now + Math.max(POLL_NANOS, age / BACKOFF_DIVISOR), sample.ackedAt + timeoutNanos);
                    }
                }
                pending.removeIf(sample -> sample.done);
                if (pending.isEmpty()) {
                    maybeFinish();
                } else {
                    armPoll(earliestPoll());
                }
            });
        }

        private void keepIfSlow(long micros, long ackedAt) {
            slowest.add(new long[] {micros, ackedAt});
            if (slowest.size() > SLOWEST) {
                slowest.poll();
            }
        }

        private long earliestPoll() {
            return pending.stream().mapToLong(sample -> sample.nextPollAt).min().orElse(System.nanoTime());
        }

        /** {@code GETRANGE key 1 10} of each sample: one pipelined batch, or one command each on a Redis Cluster. */
        private Future<List<Response>> versions(List<Sample> batch) {
            List<Request> requests = batch.stream()
                    .map(sample -> Request.cmd(Command.GETRANGE)
                            .arg(sample.redisKey)
                            .arg(1)
                            .arg(10))
                    .toList();
            if (!clustered) {
                return redis.batch(requests);
            }
            List<Future<Response>> each = requests.stream().map(redis::send).toList();
            return Future.join(each)
                    .transform(ignored -> Future.succeededFuture(each.stream()
                            .map(f -> f.succeeded() ? f.result() : null)
                            .toList()));
        }

        private void maybeFinish() {
            if (figures != null || !sendingDone || inFlight > 0 || batchInFlight || !pending.isEmpty()) {
                return;
            }
            figures = new ReplicationFigures(
                    settings.duration(),
                    sent + skipped,
                    sent,
                    skipped,
                    acked,
                    writeFailures,
                    ackMicros,
                    sendLagMicros,
                    visibleMicros,
                    samples,
                    timeouts,
                    sampleErrors,
                    polls,
                    slowest.stream()
                            .sorted(Comparator.comparingLong((long[] s) -> s[0]).reversed())
                            .map(s -> new ReplicationFigures.SlowSample(s[0] / 1000.0, (s[1] - windowStart) / 1e9))
                            .toList());
            done.countDown();
        }
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }

    private static void sleepUntil(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    @Override
    public void close() {
        redis.close();
        redisClient.close();
        http.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

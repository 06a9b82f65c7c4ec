package io.meridian.replicator.gaps;

import io.meridian.coherence.redis.RedisKeys;
import io.meridian.replicator.config.ReplicatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The current generation of every source region in this region (see {@link RedisKeys#value(String, String, long)}),
 * and the last applied offset of each source partition, kept in Redis so that a topic deleted and recreated is
 * recognised even after its committed offsets are gone. This region's own source is never bumped: its gateway
 * writes its keys directly, so its copies stay authoritative whatever happens to its log.
 */
@ApplicationScoped
public class SourceGenerations {

    private static final Logger LOG = Logger.getLogger(SourceGenerations.class);
    private static final Duration BLOCKING_CALL = Duration.ofSeconds(5);

    private final Redis redis;
    private final MeterRegistry metrics;
    private final String self;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public SourceGenerations(Redis redis, MeterRegistry metrics, ReplicatorConfig config) {
        this.redis = redis;
        this.metrics = metrics;
        this.self = config.region();
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-applied-offsets");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::flushOffsets, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
        flushOffsets();
    }

    /** @return the current generation of a source, read from Redis on first use */
    public Uni<Long> current(String source) {
        Long known = generations.get(source);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return send(Request.cmd(Command.GET).arg(RedisKeys.generation(source)))
                .map(reply -> reply == null ? 0L : reply.toLong())
                .invoke(generation -> generations.putIfAbsent(source, generation))
                .map(generation -> generations.get(source));
    }

    /**
     * Forgets what was read from Redis: after the cache lost its data, every source starts again at generation 0 (no
     * copy survived to be dropped) and the applied offsets are recorded anew by the replay.
     */
    public void reset() {
        generations.clear();
        appliedOffsets.clear();
    }

    /** Notes that a source partition has been applied up to {@code offset}; flushed to Redis every second. */
    public void applied(String source, int partition, long offset) {
        appliedOffsets.merge(RedisKeys.appliedOffset(source, partition), offset, Math::max);
    }

    /** @return the last applied offset recorded for a source partition. Blocking: for the Kafka polling thread. */
    OptionalLong lastApplied(String source, int partition) {
        Response reply = await(send(Request.cmd(Command.GET).arg(RedisKeys.appliedOffset(source, partition))));
        return reply == null ? OptionalLong.empty() : OptionalLong.of(reply.toLong());
    }

    /**
     * Records the Kafka topic id of a source's event topic. Blocking: for the Kafka polling thread.
     *
     * @return true when a different id was recorded before: the topic was deleted and recreated
     */
    boolean topicChanged(String source, String topicId) {
        String key = RedisKeys.topicId(source);
        Response previous =
                await(send(Request.cmd(Command.SET).arg(key).arg(topicId).arg("GET")));
        return previous != null && !previous.toString().equals(topicId);
    }

    /**
     * Moves a source to a new generation: every copy of its keys stored so far reads as a miss. Blocking: called on
     * the Kafka polling thread, before the first record after the gap is applied.
     */
    void bump(String source, String why) {
        if (source.equals(self)) {
            LOG.warnf("gap in this region's own log (%s); its keys are written here directly, nothing to drop", why);
            return;
        }
        long next = await(send(Request.cmd(Command.INCR).arg(RedisKeys.generation(source))))
                .toLong();
        generations.put(source, next);
        metrics.counter("meridian.replication.gaps", "source", source).increment();
        LOG.warnf("gap in the log of %s (%s): copies of its keys dropped, generation now %d", source, why, next);
    }

    private void flushOffsets() {
        appliedOffsets.forEach(
                (key, offset) -> redis.send(Request.cmd(Command.SET).arg(key).arg(Long.toString(offset))));
    }

    private Uni<Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }

    private static Response await(Uni<Response> call) {
        return call.await().atMost(BLOCKING_CALL);
    }
}

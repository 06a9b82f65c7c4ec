package io.meridian.replicator.recovery;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.ControlRecords;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.config.SourceClusters;
import io.meridian.replicator.gaps.SourceGenerations;
import io.meridian.replicator.sources.SourceConsumers;
import io.meridian.replicator.watermark.WatermarkTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Rebuilds this region's cache after its Redis lost its data (flushed, restarted without persistence, replaced): the
 * cache lacks its id ({@link RedisKeys#CACHE_ID}), which this replicator sets once the cache holds what the logs say.
 * Checked at start and every {@code meridian.recovery.check-every}. A rebuild:
 *
 * <ol>
 *   <li>marks the region recovering ({@link RedisKeys#RECOVERING}): its gateways stop answering for its keys;
 *   <li>forgets the watermarks, generations and applied offsets held in memory (none can be claimed any more);
 *   <li>puts the control state back from the region's control topic (handover states);
 *   <li>replays every source's retained event log from its start: values, tombstones and purge records come back,
 *       and apply-if-newer keeps a late, older event from resurrecting what a delete or purge removed;
 *   <li>sets a new cache id and clears the mark, once this cluster's sources are replayed (a source on a cluster of
 *       its own that cannot be reached gets {@code meridian.recovery.remote-wait}, then replays when it is back).
 * </ol>
 *
 * What the logs no longer hold (events older than the retention) is not rebuilt: such a key reads as a miss here.
 */
@ApplicationScoped
public class CacheLossRecovery {

    private static final Logger LOG = Logger.getLogger(CacheLossRecovery.class);
    private static final Duration REDIS_CALL = Duration.ofSeconds(5);

    private final Redis redis;
    private final SourceConsumers consumers;
    private final WatermarkTracker watermarks;
    private final SourceGenerations generations;
    private final SourceClusters clusters;
    private final MeterRegistry metrics;
    private final WallClock clock;
    private final String controlTopic;
    private final Duration checkEvery;
    private final Duration remoteWait;
    private volatile boolean recovering = true;
    private volatile boolean running = true;
    private Thread thread;

    public CacheLossRecovery(
            Redis redis,
            SourceConsumers consumers,
            WatermarkTracker watermarks,
            SourceGenerations generations,
            SourceClusters clusters,
            MeterRegistry metrics,
            ReplicatorConfig config,
            WallClock clock) {
        this.redis = redis;
        this.consumers = consumers;
        this.watermarks = watermarks;
        this.generations = generations;
        this.clusters = clusters;
        this.metrics = metrics;
        this.clock = clock;
        this.controlTopic = EventTopics.control(config.region());
        this.checkEvery = config.recovery().checkEvery();
        this.remoteWait = config.recovery().remoteWait();
    }

    void start(@Observes StartupEvent start) {
        thread = new Thread(this::watch, "meridian-cache-recovery");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** @return whether the cache is being rebuilt (or has not been checked yet) */
    public boolean recovering() {
        return recovering;
    }

    private void watch() {
        while (running) {
            try {
                Response id = call(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID));
                if (id == null) {
                    rebuild();
                } else {
                    recovering = false;
                }
                Thread.sleep(checkEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot check this region's cache yet: %s", e.toString());
                sleep(checkEvery);
            }
        }
    }

    private void rebuild() throws InterruptedException {
        recovering = true;
        while (!consumers.started()) {
            Thread.sleep(50);
        }
        long started = System.nanoTime();
        LOG.warn("this region's cache has no cache id: it lost its data or is new; rebuilding it from the logs");
        metrics.counter("meridian.replicator.cache.rebuilds").increment();
        mark();
        watermarks.reset();
        generations.reset();
        restoreControlState();
        Predicate<Long> replayed = consumers.rewindAll();
        long remoteDeadline = System.nanoTime() + remoteWait.toNanos();
        while (!replayed.test(remoteDeadline)) {
            mark(); // again: a second loss while rebuilding must not clear the mark
            Thread.sleep(200);
        }
        call(Request.cmd(Command.SET)
                .arg(RedisKeys.CACHE_ID)
                .arg(UUID.randomUUID().toString()));
        call(Request.cmd(Command.DEL).arg(RedisKeys.RECOVERING));
        recovering = false;
        LOG.infof("this region's cache is rebuilt (%d ms)", (System.nanoTime() - started) / 1_000_000);
    }

    private void mark() {
        call(Request.cmd(Command.SET)
                .arg(RedisKeys.RECOVERING)
                .arg(Long.toString(clock.millis()))
                .arg("PX")
                .arg(60_000));
    }

    /** Reads the control topic to its end and writes the latest state of every key back into Redis. */
    private void restoreControlState() {
        Map<String, Object> settings = new HashMap<>(clusters.local());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "meridian-replicator-control-restore");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Reading must not create the topic: the gateway creates it compacted.
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, byte[]> latest = new HashMap<>();
        TopicPartition partition = new TopicPartition(controlTopic, 0);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            if (consumer.partitionsFor(controlTopic).isEmpty()) {
                return;
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
            }
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException noControlTopicYet) {
            return;
        }
        latest.forEach((key, value) -> ControlRecords.toRedis(key, value).ifPresent(this::call));
        LOG.infof("control state restored from %s: %s", controlTopic, latest.keySet());
    }

    private Response call(Request request) {
        try {
            return redis.send(request)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(REDIS_CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Redis did not answer " + request.command() + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

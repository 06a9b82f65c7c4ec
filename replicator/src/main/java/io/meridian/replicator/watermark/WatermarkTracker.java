package io.meridian.replicator.watermark;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.event.ReplicationWatermark;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.config.SourceClusters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AdminClient;
import org.jboss.logging.Logger;

/**
 * The applied watermark per source region (see {@link ReplicationWatermark}), published in this region's Redis for
 * the gateways' read-your-writes decisions ({@code meridian:watermark:<source>}, with a TTL so that a stopped
 * replicator's watermark does not stay behind) and exported as {@code meridian_replication_lag_seconds{source}} (now
 * minus the watermark's wall time) and {@code meridian_replication_watermark_age_seconds{source}} (time since it last
 * moved).
 */
@ApplicationScoped
public class WatermarkTracker {

    private static final Logger LOG = Logger.getLogger(WatermarkTracker.class);
    private static final long PUBLISH_EVERY_MS = 100;
    private static final long TOPIC_REFRESH_EVERY_MS = 5_000;
    private static final long PUBLISHED_TTL_MS = 30_000;

    private final Redis redis;
    private final MeterRegistry metrics;
    private final SourceClusters clusters;
    private final WallClock clock;
    private final long producerExpiryMillis;
    private final Map<String, ReplicationWatermark> watermarks = new HashMap<>();
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final Map<String, long[]> published = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public WatermarkTracker(
            Redis redis, MeterRegistry metrics, ReplicatorConfig config, SourceClusters clusters, WallClock clock) {
        this.redis = redis;
        this.metrics = metrics;
        this.clusters = clusters;
        this.clock = clock;
        this.producerExpiryMillis = config.producerExpiry().toMillis();
    }

    /** Records that a source's partition has been applied up to a record of {@code origin} at {@code hlc}. */
    public synchronized void advance(String source, int partition, int origin, long hlc) {
        watermarks.computeIfAbsent(source, this::newSource).advance(partition, origin, hlc);
    }

    /**
     * Forgets every watermark: after the cache lost its data nothing can be claimed applied until the logs are
     * replayed. The published ones are overwritten as the replay advances them again.
     */
    public synchronized void reset() {
        watermarks.clear();
        published.clear();
        for (String source : partitionCounts.keySet()) {
            redis.send(Request.cmd(Command.DEL).arg(RedisKeys.watermark(source)));
        }
    }

    /** @return the current watermark of a source, empty while unknown */
    public synchronized OptionalLong watermark(String source) {
        ReplicationWatermark watermark = watermarks.get(source);
        Integer partitions = partitionCounts.get(source);
        if (watermark == null || partitions == null) {
            return OptionalLong.empty();
        }
        return watermark.current(partitions);
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-watermarks");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::publish, PUBLISH_EVERY_MS, PUBLISH_EVERY_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::refreshPartitionCounts, 0, TOPIC_REFRESH_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private ReplicationWatermark newSource(String source) {
        Gauge.builder("meridian.replication.lag.seconds", this, tracker -> tracker.lagSeconds(source))
                .description("Now minus the wall time of the applied watermark of a source region")
                .tag("source", source)
                .register(metrics);
        Gauge.builder("meridian.replication.watermark.age.seconds", this, tracker -> tracker.ageSeconds(source))
                .description("Time since the applied watermark of a source region last advanced")
                .tag("source", source)
                .register(metrics);
        return new ReplicationWatermark(clock, producerExpiryMillis);
    }

    private double lagSeconds(String source) {
        OptionalLong watermark = watermark(source);
        if (watermark.isEmpty()) {
            return Double.NaN;
        }
        return Math.max(0, clock.millis() - HybridLogicalClock.physical(watermark.getAsLong())) / 1000.0;
    }

    private double ageSeconds(String source) {
        long[] last = published.get(source);
        return last == null ? Double.NaN : (clock.millis() - last[1]) / 1000.0;
    }

    private void publish() {
        for (String source : sources()) {
            OptionalLong watermark = watermark(source);
            if (watermark.isEmpty()) {
                continue;
            }
            long value = watermark.getAsLong();
            long[] last = published.computeIfAbsent(source, s -> new long[] {-1, clock.millis()});
            if (last[0] != value) {
                last[0] = value;
                last[1] = clock.millis();
            }
            redis.send(Request.cmd(Command.SET)
                    .arg(RedisKeys.watermark(source))
                    .arg(Long.toString(value))
                    .arg("PX")
                    .arg(PUBLISHED_TTL_MS));
        }
    }

    private synchronized java.util.Set<String> sources() {
        return java.util.Set.copyOf(watermarks.keySet());
    }

    private void refreshPartitionCounts() {
        Set<String> remote = clusters.remoteSources();
        refreshPartitionCounts(
                clusters.local(),
                topic -> EventTopics.sourceRegion(topic)
                        .filter(source -> !remote.contains(source))
                        .isPresent());
        for (String source : remote) {
            refreshPartitionCounts(clusters.of(source), topic -> topic.equals(EventTopics.events(source)));
        }
    }

    private void refreshPartitionCounts(Map<String, Object> kafka, Predicate<String> eventTopic) {
        try (AdminClient admin = AdminClient.create(kafka)) {
            var names = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
                    .filter(eventTopic)
                    .toList();
            admin.describeTopics(names)
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .forEach((topic, description) -> partitionCounts.put(
                            EventTopics.sourceRegion(topic).orElseThrow(),
                            description.partitions().size()));
        } catch (Exception e) {
            LOG.debugf(
                    "cannot refresh event topic partitions from %s: %s",
                    kafka.get("bootstrap.servers"), e.getMessage());
        }
    }
}

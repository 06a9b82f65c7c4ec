package io.meridian.replicator.sources;

import io.meridian.coherence.event.EventTopics;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.config.SourceClusters;
import io.meridian.replicator.gaps.GapDetector;
import io.meridian.replicator.health.SourceHealth;
import io.meridian.replicator.ingest.EventIngest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Reads every source region's event topic, each through a {@link SourceLoop} that never stops for good:
 *
 * <ul>
 *   <li>the replicator's own Kafka cluster ({@code kafka.bootstrap.servers}): every topic matching {@code
 *       meridian.events.topic-pattern} (by default every region's, so a new region is followed without a restart),
 *       except those of sources read from a cluster of their own;
 *   <li>each source with a cluster of its own ({@code meridian.sources.<r>.bootstrap-servers}): that source's topic
 *       there, with its own consumer and group.
 * </ul>
 *
 * Gaps are detected when partitions are assigned ({@link GapDetector}); poison records go to this region's
 * dead-letter topic ({@code meridian.<region>.dead-letters}, on the replicator's own cluster) with the reason, source
 * topic, partition and offset as headers.
 */
@ApplicationScoped
public class SourceConsumers {

    private static final Logger LOG = Logger.getLogger(SourceConsumers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final String LOCAL = "local";

    private final SourceClusters clusters;
    private final EventIngest ingest;
    private final GapDetector gaps;
    private final SourceHealth health;
    private final ReplicatorConfig config;
    private final String deadLetterTopic;
    private final List<SourceLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean started;
    private KafkaProducer<String, byte[]> deadLetters;

    public SourceConsumers(
            SourceClusters clusters,
            EventIngest ingest,
            GapDetector gaps,
            SourceHealth health,
            ReplicatorConfig config) {
        this.clusters = clusters;
        this.ingest = ingest;
        this.gaps = gaps;
        this.health = health;
        this.config = config;
        this.deadLetterTopic = EventTopics.deadLetters(config.region());
    }

    void start(@Observes StartupEvent start) {
        Map<String, Object> producer = new HashMap<>(clusters.local());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "meridian-replicator-dead-letters-" + config.region());
        deadLetters = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
        loops.add(localLoop());
        for (String source : clusters.remoteSources()) {
            loops.add(remoteLoop(source));
        }
        loops.forEach(SourceLoop::start);
        started = true;
    }

    /** @return whether every source's loop has been started */
    public boolean started() {
        return started;
    }

    void stop(@Observes ShutdownEvent stop) {
        loops.forEach(loop -> loop.stop(STOP_WAIT));
        if (deadLetters != null) {
            deadLetters.close(STOP_WAIT);
        }
    }

    /**
     * Replays every source from the start of its retained log (see {@link SourceLoop#rewind}).
     *
     * @return a check that tells whether the replay is done: the local cluster's sources (this region's own log among
     *     them) always count; sources read from clusters of their own count until {@code remoteDeadline} (nanoTime),
     *     after which an unreachable source replays on its own when it is back
     */
    public java.util.function.Predicate<Long> rewindAll() {
        Map<SourceLoop, Long> rewinds = new HashMap<>();
        loops.forEach(loop -> rewinds.put(loop, loop.rewind()));
        return remoteDeadline -> rewinds.entrySet().stream()
                .allMatch(rewind -> rewind.getKey().replayed(rewind.getValue())
                        || (!rewind.getKey().name().equals(LOCAL) && System.nanoTime() > remoteDeadline));
    }

    private SourceLoop localLoop() {
        Set<String> remote = clusters.remoteSources();
        Pattern pattern = localPattern(config.events().topicPattern(), remote);
        Set<String> local = config.regions().keySet().stream()
                .filter(region -> !remote.contains(region))
                .filter(region -> pattern.matcher(EventTopics.events(region)).matches())
                .collect(Collectors.toCollection(TreeSet::new));
        String group = "meridian-replicator-" + config.region();
        return loop(LOCAL, clusters.local(), group, new SourceLoop.Subscription() {
            @Override
            public void subscribe(Consumer<String, byte[]> consumer, ConsumerRebalanceListener listener) {
                consumer.subscribe(pattern, listener);
            }

            @Override
            public Set<String> sources() {
                return local;
            }

            @Override
            public String describe() {
                return "topics matching " + pattern + " from "
                        + clusters.local().get("bootstrap.servers");
            }
        });
    }

    private SourceLoop remoteLoop(String source) {
        return loop(source, clusters.of(source), clusters.groupOf(source), new SourceLoop.Subscription() {
            @Override
            public void subscribe(Consumer<String, byte[]> consumer, ConsumerRebalanceListener listener) {
                consumer.subscribe(List.of(EventTopics.events(source)), listener);
            }

            @Override
            public Set<String> sources() {
                return Set.of(source);
            }

            @Override
            public String describe() {
                return EventTopics.events(source) + " from "
                        + clusters.of(source).get("bootstrap.servers");
            }
        });
    }

    /**
     * The local loop's pattern: the configured one, less the topics of sources read from a cluster of their own (a
     * copy of them on this cluster, made by MirrorMaker for example, must not be applied twice under two groups).
     */
    static Pattern localPattern(String configured, Set<String> remote) {
        if (remote.isEmpty()) {
            return Pattern.compile(configured);
        }
        String excluded = remote.stream()
                .map(source -> Pattern.quote(EventTopics.events(source)))
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?!(?:" + excluded + ")$)(?:" + configured + ")");
    }

    private SourceLoop loop(String name, Map<String, Object> kafka, String group, SourceLoop.Subscription what) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.events().maxPollRecords());
        // Low replication lag: the broker answers a fetch as soon as any data arrives; the wait only bounds an idle
        // long poll.
        settings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        // New topics (a region added) are found within this period.
        settings.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int)
                config.events().metadataMaxAge().toMillis());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name);
        // Static membership: a restarted replicator takes its partitions back at once instead of waiting for the dead
        // member's session to time out; a member that does not come back is replaced after the session timeout.
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + name + "-" + config.nodeId());
        settings.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        return new SourceLoop(
                name,
                () -> new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer()),
                what,
                gaps::onPartitionsAssigned,
                RemoteDelivery::new,
                ingest::applyAll,
                health,
                config.applyRetryBackoff(),
                config.events().maxRetryBackoff());
    }

    /** A record polled by a loop; a dead letter goes to this region's dead-letter topic. */
    private final class RemoteDelivery extends PolledRecord {

        RemoteDelivery(ConsumerRecord<String, byte[]> record) {
            super(record);
        }

        @Override
        public Uni<Void> deadLetter(Throwable reason) {
            RecordHeaders headers = new RecordHeaders();
            header(headers, "dead-letter-reason", String.valueOf(reason.getMessage()));
            header(
                    headers,
                    "dead-letter-exception-class-name",
                    reason.getClass().getName());
            header(headers, "dead-letter-topic", record.topic());
            header(headers, "dead-letter-partition", Integer.toString(record.partition()));
            header(headers, "dead-letter-offset", Long.toString(record.offset()));
            ProducerRecord<String, byte[]> dead =
                    new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
            return Uni.createFrom()
                    .<Void>emitter(emitter -> deadLetters.send(dead, (metadata, failure) -> {
                        if (failure == null) {
                            emitter.complete(null);
                        } else {
                            emitter.fail(failure);
                        }
                    }))
                    .onFailure()
                    .invoke(failure -> LOG.warnf("cannot dead-letter a record of %s yet: %s", record.topic(), failure))
                    .onFailure()
                    .retry()
                    .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                    .indefinitely();
        }

        private static void header(RecordHeaders headers, String name, String value) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}

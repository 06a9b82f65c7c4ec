package io.meridian.replicator.sources;

import io.meridian.coherence.event.EventTopics;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.gaps.GapDetector;
import io.meridian.replicator.ingest.EventIngest;
import io.meridian.replicator.ingest.EventIngest.Delivery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Reads the event topics of sources that live in a Kafka cluster of their own ({@code meridian.sources.<r>.
 * bootstrap-servers}), one consumer thread per source, with the same guarantees as the default channel: a poll's
 * records go through {@link EventIngest#applyAll}, offsets are committed only after the whole poll is applied, gaps
 * are detected when partitions are assigned ({@link GapDetector}), and poison records go to this region's dead-letter
 * topic (on the replicator's own cluster) with the same headers as the default channel's.
 */
@ApplicationScoped
public class RemoteSourceConsumers {

    private static final Logger LOG = Logger.getLogger(RemoteSourceConsumers.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final SourceClusters clusters;
    private final EventIngest ingest;
    private final GapDetector gaps;
    private final int nodeId;
    private final String deadLetterTopic;
    private final List<SourceLoop> loops = new ArrayList<>();
    private KafkaProducer<String, byte[]> deadLetters;

    public RemoteSourceConsumers(
            SourceClusters clusters,
            EventIngest ingest,
            @Identifier(GapDetector.NAME) GapDetector gaps,
            ReplicatorConfig config) {
        this.clusters = clusters;
        this.ingest = ingest;
        this.gaps = gaps;
        this.nodeId = config.nodeId();
        this.deadLetterTopic = EventTopics.deadLetters(config.region());
    }

    void start(@Observes StartupEvent start) {
        if (clusters.remoteSources().isEmpty()) {
            return;
        }
        Map<String, Object> producer = new HashMap<>(clusters.local());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "meridian-replicator-dead-letters");
        deadLetters = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
        for (String source : clusters.remoteSources()) {
            SourceLoop loop = new SourceLoop(source);
            loops.add(loop);
            loop.thread.start();
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        loops.forEach(SourceLoop::stop);
        if (deadLetters != null) {
            deadLetters.close(STOP_WAIT);
        }
    }

    /** One source: its consumer and the thread that polls it. */
    private final class SourceLoop implements Runnable {

        private final String source;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        SourceLoop(String source) {
            this.source = source;
            Map<String, Object> config = new HashMap<>(clusters.of(source));
            String group = clusters.groupOf(source);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + source);
            // Static membership, as for the default channel: a restarted replicator takes its partitions back at once.
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + source + "-" + nodeId);
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this, "meridian-source-" + source);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            consumer.subscribe(List.of(EventTopics.events(source)), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    gaps.onPartitionsAssigned(consumer, partitions);
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Offsets are committed after every applied poll; nothing is pending here.
                }
            });
            LOG.infof(
                    "reading %s from %s",
                    EventTopics.events(source), clusters.of(source).get("bootstrap.servers"));
            try {
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        applyAndCommit(records);
                    }
                }
            } catch (WakeupException stopping) {
                // stop() woke the poll up.
            } catch (RuntimeException e) {
                LOG.errorf(e, "reading %s stopped", EventTopics.events(source));
            } finally {
                consumer.close(STOP_WAIT);
            }
        }

        private void applyAndCommit(ConsumerRecords<String, byte[]> records) {
            List<RemoteDelivery> batch = new ArrayList<>(records.count());
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                batch.add(new RemoteDelivery(record));
                next.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            // Waits however long Redis is away: an event is retried, never skipped (see EventIngest).
            ingest.applyAll(batch).await().indefinitely();
            try {
                consumer.commitSync(next);
            } catch (CommitFailedException e) {
                // The group moved these partitions on; their new owner replays them, which applying makes harmless.
                LOG.warnf("offsets of %s not committed after a rebalance: %s", source, e.getMessage());
            }
        }

        void stop() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A record of a source's own cluster; its offset is committed by the poll loop after the whole batch. */
    private final class RemoteDelivery implements Delivery {

        private final ConsumerRecord<String, byte[]> record;

        RemoteDelivery(ConsumerRecord<String, byte[]> record) {
            this.record = record;
        }

        @Override
        public String topic() {
            return record.topic();
        }

        @Override
        public int partition() {
            return record.partition();
        }

        @Override
        public long offset() {
            return record.offset();
        }

        @Override
        public byte[] payload() {
            return record.value();
        }

        @Override
        public Uni<Void> ack() {
            return Uni.createFrom().voidItem();
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

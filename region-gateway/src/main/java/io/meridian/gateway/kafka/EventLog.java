package io.meridian.gateway.kafka;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.cache.Regions;
import io.meridian.gateway.config.MeridianConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * This region's event log: the Kafka topic {@code meridian.<region>.events}. A write is appended here, with
 * {@code acks=all} and an idempotent producer, before it touches Redis, so that every region's replicator (this
 * region's own included) can apply it even if this gateway dies right after the append.
 *
 * <p>Versions are assigned and handed to the producer under one lock, and so are heartbeats. The idempotent producer
 * keeps send order per partition, so a heartbeat with time T follows, on every partition, every event this gateway
 * versioned before T: that is what makes the replication watermark safe to use for read-your-writes.
 *
 * <p>{@link KafkaProducer#send} blocks while it waits for topic metadata (when Kafka is unreachable, up to
 * {@code max.block.ms}), so sends are made on the worker pool, never on the event loop.
 */
@ApplicationScoped
public class EventLog {

    private final KafkaProducer<String, byte[]> producer;
    private final HybridLogicalClock clock;
    private final int originId;
    private final String topic;
    private final Duration produceTimeout;
    private final Object sendOrder = new Object();

    public EventLog(
            MeridianConfig config,
            HybridLogicalClock clock,
            Regions regions,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.clock = clock;
        this.originId = regions.originId();
        this.topic = EventTopics.events(config.region());
        this.produceTimeout = config.eventLog().produceTimeout();
        this.producer = new KafkaProducer<>(
                producerConfig(kafka, config.eventLog()), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Versions an event and appends it; completes with the version once every in-sync replica has the event, fails
     * when Kafka cannot take it within the produce timeout.
     */
    public Uni<Version> append(Function<Version, CacheEvent> eventOf) {
        return Uni.createFrom()
                .<Version>emitter(emitter -> {
                    synchronized (sendOrder) {
                        Version version = new Version(clock.now(), originId);
                        CacheEvent event = eventOf.apply(version);
                        producer.send(record(event), (metadata, failure) -> {
                            if (failure != null) {
                                emitter.fail(failure);
                            } else {
                                emitter.complete(version);
                            }
                        });
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Sends this gateway's clock to every partition of the topic. Blocking: call it from a worker thread. */
    public void heartbeat() {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        synchronized (sendOrder) {
            CacheEvent.Heartbeat heartbeat = new CacheEvent.Heartbeat(originId, clock.now());
            byte[] payload = EventCodec.encode(heartbeat);
            for (PartitionInfo partition : partitions) {
                producer.send(new ProducerRecord<>(topic, partition.partition(), heartbeat.recordKey(), payload));
            }
        }
    }

    private ProducerRecord<String, byte[]> record(CacheEvent event) {
        return new ProducerRecord<>(topic, event.recordKey(), EventCodec.encode(event));
    }

    @PreDestroy
    void close() {
        producer.close(produceTimeout);
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafka, MeridianConfig.EventLogConfig log) {
        Map<String, Object> config = new HashMap<>(kafka);
        int timeoutMs = (int) log.produceTimeout().toMillis();
        int lingerMs = (int) log.linger().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + lingerMs);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "meridian-gateway-events");
        return config;
    }
}

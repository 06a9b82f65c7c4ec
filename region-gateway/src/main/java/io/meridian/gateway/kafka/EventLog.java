package io.meridian.gateway.kafka;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.gateway.config.MeridianConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * This region's event log: the Kafka topic {@code meridian.<region>.events}. A write is appended here, with
 * {@code acks=all} and an idempotent producer, before it touches Redis, so that every region's replicator (this
 * region's own included) can apply it even if this gateway dies right after the append.
 *
 * <p>{@link KafkaProducer#send} blocks while it waits for topic metadata (when Kafka is unreachable, up to
 * {@code max.block.ms}), so sends are made on the worker pool, never on the event loop.
 */
@ApplicationScoped
public class EventLog {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration produceTimeout;

    public EventLog(MeridianConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.topic = topicOf(config, config.region());
        this.produceTimeout = config.eventLog().produceTimeout();
        this.producer = new KafkaProducer<>(
                producerConfig(kafka, config.eventLog()), new StringSerializer(), new ByteArraySerializer());
    }

    /** The event topic of a region. */
    public static String topicOf(MeridianConfig config, String region) {
        return EventTopics.events(region);
    }

    public String topic() {
        return topic;
    }

    /**
     * Appends an event; completes once every in-sync replica has it, fails when Kafka cannot take it within the
     * produce timeout.
     */
    public Uni<RecordMetadata> append(CacheEvent event) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, event.recordKey(), EventCodec.encode(event));
        return Uni.createFrom()
                .<RecordMetadata>emitter(emitter -> producer.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(metadata);
                    }
                }))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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

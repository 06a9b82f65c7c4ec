package io.meridian.gateway.kafka;

import io.meridian.coherence.event.EventTopics;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * This region's control topic ({@link EventTopics#control}, compacted): control state that the event logs do not
 * carry is appended here before it is written to the region's Redis, so that the replicator can put it back after
 * the Redis loses its data. A record's key names the state ({@code handover/<region>}); its value is the state, or
 * none (a tombstone) when the state is cleared.
 */
@ApplicationScoped
public class ControlLog {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public ControlLog(MeridianConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.topic = EventTopics.control(config.region());
        this.timeout = config.eventLog().produceTimeout();
        Map<String, Object> settings = new HashMap<>(EventLog.producerConfig(kafka, config.eventLog()));
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "meridian-gateway-control");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    void stop(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * Appends a state (null clears it); completes once every in-sync replica has it.
     *
     * @throws GatewayFailure 503 {@code event-log-unavailable} when Kafka cannot take it in time
     */
    public Uni<Void> append(String key, String value) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, 0, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        return Uni.createFrom()
                .<Void>emitter(emitter -> producer.send(record, (metadata, failure) -> {
                    if (failure == null) {
                        emitter.complete(null);
                    } else {
                        emitter.fail(GatewayFailure.unavailable(
                                "event-log-unavailable",
                                "the control topic " + topic + " cannot take the change: " + failure.getMessage()));
                    }
                }))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}

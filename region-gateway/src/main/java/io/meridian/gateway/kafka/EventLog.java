package io.meridian.gateway.kafka;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig.KafkaOutagePolicy;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.identity.VersionOrigin;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
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
 *
 * <p>When Kafka cannot take an event of a {@code buffer} namespace, the event is versioned again and appended to the
 * region's {@link EventBuffer} instead, under the same lock. While the buffer is not empty (this gateway appended to
 * it, or its last look at the buffer found entries) the gateway sends nothing to Kafka itself: {@code buffer}
 * namespaces append to the buffer, {@code reject} namespaces answer 503, heartbeats pause. So this gateway's events
 * and heartbeats never overtake its own buffered events, and one key's events reach Kafka in version order; the
 * {@link BufferRelay} sends the buffer, and holds the other regions' watermarks below what it has not yet sent.
 */
@ApplicationScoped
public class EventLog {

    private final KafkaProducer<String, byte[]> producer;
    private final HybridLogicalClock clock;
    private final String topic;
    private final Duration produceTimeout;
    private final Object sendOrder = new Object();
    private final EventBuffer buffer;
    private final EventTopic eventTopic;
    private final int relayOriginId;
    private final VersionOrigin versionOrigin;
    /** Whether the region's event buffer holds events; changed only under {@link #sendOrder}. */
    private volatile boolean draining;

    public EventLog(
            MeridianConfig config,
            HybridLogicalClock clock,
            VersionOrigin versionOrigin,
            EventBuffer buffer,
            EventTopic eventTopic,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.clock = clock;
        this.buffer = buffer;
        this.eventTopic = eventTopic;
        this.relayOriginId = versionOrigin.relayOriginId();
        this.versionOrigin = versionOrigin;
        this.topic = EventTopics.events(config.region());
        this.produceTimeout = config.eventLog().produceTimeout();
        this.producer = new KafkaProducer<>(
                producerConfig(kafka, config.eventLog()), new StringSerializer(), new ByteArraySerializer());
    }

    /** Where an event went: Kafka, or the region's event buffer. */
    public record Appended(Version version, boolean buffered) {}

    /**
     * Versions an event and appends it; completes with the version once every in-sync replica has the event, fails
     * when Kafka cannot take it within the produce timeout. Under {@link KafkaOutagePolicy#BUFFER} an event Kafka
     * cannot take (unreachable, timed out, topic not ready), and every event while the region's buffer is not
     * empty, goes to the event buffer instead; it fails only when the buffer is full or Redis does not answer.
     */
    public Uni<Appended> append(Function<Version, CacheEvent> eventOf, KafkaOutagePolicy policy) {
        boolean bufferable = policy == KafkaOutagePolicy.BUFFER;
        return Uni.createFrom()
                .<Appended>emitter(emitter -> sendOrBuffer(eventOf, bufferable, emitter))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(failure -> bufferable && kafkaUnavailable(failure))
                .recoverWithUni(() -> Uni.createFrom()
                        .item(() -> buffered(eventOf))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** Appends an event that is never buffered (a purge): fails while Kafka cannot take it. */
    public Uni<Version> append(Function<Version, CacheEvent> eventOf) {
        return append(eventOf, KafkaOutagePolicy.REJECT).map(Appended::version);
    }

    private void sendOrBuffer(
            Function<Version, CacheEvent> eventOf,
            boolean bufferable,
            io.smallrye.mutiny.subscription.UniEmitter<? super Appended> emitter) {
        try {
            synchronized (sendOrder) {
                if (draining && !bufferable) {
                    emitter.fail(GatewayFailure.unavailable(
                            "event-log-unavailable",
                            "the region is sending its buffered writes to Kafka; writes of this namespace wait for"
                                    + " that, so that none overtakes a buffered one"));
                    return;
                }
                if (draining || (bufferable && !eventTopic.isReady())) {
                    emitter.complete(bufferLocked(eventOf));
                    return;
                }
                Version version = new Version(clock.now(), versionOrigin.originId());
                CacheEvent event = eventOf.apply(version);
                producer.send(record(event), (metadata, failure) -> {
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(new Appended(version, false));
                    }
                });
            }
        } catch (RuntimeException e) {
            emitter.fail(e);
        }
    }

    private Appended buffered(Function<Version, CacheEvent> eventOf) {
        synchronized (sendOrder) {
            return bufferLocked(eventOf);
        }
    }

    /**
     * Versions the event anew and appends it to the buffer; the caller holds {@link #sendOrder}. A new version,
     * because the buffer takes only versions above its last entry (another gateway's clock may be ahead: this one
     * then moves its clock past that entry and tries again).
     */
    private Appended bufferLocked(Function<Version, CacheEvent> eventOf) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Version version = new Version(clock.now(), versionOrigin.originId());
            CacheEvent event = eventOf.apply(version);
            OptionalLong last = buffer.append(version, event.recordKey(), EventCodec.encode(event));
            if (last.isEmpty()) {
                draining = true;
                return new Appended(version, true);
            }
            clock.observe(last.getAsLong());
        }
        throw GatewayFailure.unavailable(
                "event-log-unavailable", "the event buffer's last entry stays ahead of this gateway's clock");
    }

    /** Failures that mean Kafka cannot take events now, rather than that this event is wrong. */
    static boolean kafkaUnavailable(Throwable failure) {
        return failure instanceof RetriableException;
    }

    /**
     * Reads the buffer's length and, under the send lock, decides whether this gateway may send to Kafka itself: only
     * when the buffer is empty. Blocking.
     *
     * @return the buffer's length
     */
    public long refreshDraining() {
        synchronized (sendOrder) {
            long length = buffer.length();
            draining = length > 0;
            return length;
        }
    }

    /** @return whether this gateway last found the region's buffer holding events */
    public boolean draining() {
        return draining;
    }

    /** Sends this gateway's clock to every partition of the topic. Blocking: call it from a worker thread. */
    public void heartbeat() {
        if (draining || !versionOrigin.ready()) {
            return;
        }
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        synchronized (sendOrder) {
            if (draining) {
                // A heartbeat now would let other regions' watermarks pass buffered events they have not applied.
                return;
            }
            sendHeartbeats(partitions, new CacheEvent.Heartbeat(versionOrigin.originId(), clock.now()));
        }
    }

    /**
     * Relays buffered events to the topic, in order, after a heartbeat of the relay's origin at {@code floor} on every
     * partition; returns once Kafka acknowledged them all. Blocking.
     *
     * <p>{@code floor} is below every event still buffered. A replicator applies a partition in order, so until it has
     * applied these events it has seen the relay origin at no more than the floor on their partition, and its
     * watermark for this region, the minimum over partitions and live producers, stays below them, whatever other
     * producers it has heard from (those that fell silent during the outage included).
     */
    void relay(List<EventBuffer.Entry> entries, long floor) {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        synchronized (sendOrder) {
            sent.addAll(sendHeartbeats(partitions, new CacheEvent.Heartbeat(relayOriginId, floor)));
            for (EventBuffer.Entry entry : entries) {
                sent.add(producer.send(new ProducerRecord<>(topic, entry.recordKey(), entry.event())));
            }
        }
        for (Future<RecordMetadata> each : sent) {
            try {
                each.get(2 * produceTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new KafkaException("relay not acknowledged", e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new KafkaException("relay not acknowledged in time", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("relay interrupted", e);
            }
        }
    }

    private List<Future<RecordMetadata>> sendHeartbeats(
            List<PartitionInfo> partitions, CacheEvent.Heartbeat heartbeat) {
        byte[] payload = EventCodec.encode(heartbeat);
        List<Future<RecordMetadata>> sent = new ArrayList<>(partitions.size());
        for (PartitionInfo partition : partitions) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition.partition(), heartbeat.recordKey(), payload)));
        }
        return sent;
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

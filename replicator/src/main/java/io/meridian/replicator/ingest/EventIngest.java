package io.meridian.replicator.ingest;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.version.Version;
import io.meridian.replicator.apply.RegionApplier;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.gaps.SourceGenerations;
import io.meridian.replicator.watermark.WatermarkTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes every region's event topic ({@code meridian.<region>.events}, this region's own included) and applies each
 * event to this region's Redis.
 *
 * <ul>
 *   <li>Offsets are committed only after the apply (the message is acknowledged when the apply completed), so a crash
 *       replays from the last applied event; replays are no-ops because applying is idempotent.
 *   <li>An event that cannot be decoded, or that Redis refuses as such, is a poison event: it is negatively
 *       acknowledged, which sends it to {@code meridian.<region>.dead-letters} with the reason, source topic,
 *       partition and offset (SmallRye's dead-letter headers), and consumption goes on.
 *   <li>When Redis is unreachable the event is retried until it applies: skipping it would lose an invalidation.
 * </ul>
 */
@ApplicationScoped
public class EventIngest {

    private static final Logger LOG = Logger.getLogger(EventIngest.class);

    private final RegionApplier applier;
    private final MeterRegistry metrics;
    private final Duration backoff;
    private final WatermarkTracker watermarks;
    private final SourceGenerations generations;

    public EventIngest(
            RegionApplier applier,
            MeterRegistry metrics,
            WatermarkTracker watermarks,
            SourceGenerations generations,
            ReplicatorConfig config) {
        this.applier = applier;
        this.metrics = metrics;
        this.watermarks = watermarks;
        this.generations = generations;
        this.backoff = config.applyRetryBackoff();
    }

    @Incoming("events")
    public Uni<Void> consume(Message<byte[]> message) {
        String source = sourceOf(message);
        CacheEvent event;
        try {
            event = EventCodec.decode(message.getPayload());
        } catch (RuntimeException poison) {
            return deadLetter(message, source, poison);
        }
        return applyUntilDone(event, source)
                .onItem()
                .invoke(outcome -> applied(source, message, event, outcome))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure()
                .recoverWithUni(refused -> deadLetter(message, source, refused));
    }

    private Uni<EventApplier.Outcome> applyUntilDone(CacheEvent event, String source) {
        return generations
                .current(source)
                .chain(generation -> applier.apply(event, generation))
                .onFailure(RedisFailures::isTransient)
                .invoke(failure -> LOG.warnf("cannot apply %s from %s yet, retrying: %s", event, source, failure))
                .onFailure(RedisFailures::isTransient)
                .retry()
                .withBackOff(backoff, backoff.multipliedBy(10))
                .indefinitely();
    }

    private void applied(String source, Message<byte[]> message, CacheEvent event, EventApplier.Outcome outcome) {
        int partition = partitionOf(message);
        metrics.counter(
                        "meridian.replicator.events",
                        "source",
                        source,
                        "outcome",
                        outcome.name().toLowerCase())
                .increment();
        Version version = versionOf(event);
        watermarks.advance(source, partition, version.origin(), version.hlc());
        offsetOf(message).ifPresent(offset -> generations.applied(source, partition, offset));
    }

    private Uni<Void> deadLetter(Message<byte[]> message, String source, Throwable reason) {
        LOG.errorf("dead-lettering an event from %s: %s", source, reason.getMessage());
        metrics.counter("meridian.replicator.events", "source", source, "outcome", "dead_letter")
                .increment();
        return Uni.createFrom().completionStage(message.nack(reason));
    }

    private static Version versionOf(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.version();
        }
        if (event instanceof CacheEvent.Heartbeat heartbeat) {
            return new Version(heartbeat.hlc(), heartbeat.origin());
        }
        return ((CacheEvent.Delete) event).version();
    }

    private static java.util.Optional<Long> offsetOf(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset);
    }

    private static int partitionOf(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getPartition)
                .orElse(0);
    }

    private static String sourceOf(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic)
                .flatMap(EventTopics::sourceRegion)
                .orElse("unknown");
    }
}

package io.meridian.replicator.ingest;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.version.Version;
import io.meridian.replicator.apply.RegionApplier;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.gaps.SourceGenerations;
import io.meridian.replicator.health.SourceHealth;
import io.meridian.replicator.watermark.WatermarkTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies the events of every region's event topic ({@code meridian.<region>.events}, this region's own included),
 * as the consumers of {@code SourceConsumers} deliver them, to this region's Redis.
 *
 * <ul>
 *   <li>Events arrive in batches (one Kafka poll each) and the events of a batch are applied concurrently: applying is
 *       apply-if-newer by version, so the order in which two events reach Redis never changes the result, and a
 *       batch costs about one Redis round trip instead of one per event.
 *   <li>Offsets are committed only after the apply (every record of a batch is acknowledged once the whole batch is
 *       applied, in offset order), so a crash replays from the last applied event; replays are no-ops because
 *       applying is idempotent. The watermark and the applied offsets advance only then, so they never claim an
 *       event whose apply is still under way.
 *   <li>An event that cannot be decoded, or that a script refuses by a deterministic rule, is a poison event: that
 *       record alone goes to {@code meridian.<region>.dead-letters} with the reason, source topic, partition and
 *       offset, and consumption goes on.
 *   <li>When Redis is unreachable, loading, busy, read-only or otherwise failing for a while ({@link
 *       RedisFailures#isTransient}), the event is retried until it applies: skipping it would lose an invalidation.
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
    private final ApplyPermits permits;
    private final SourceHealth health;

    public EventIngest(
            RegionApplier applier,
            MeterRegistry metrics,
            WatermarkTracker watermarks,
            SourceGenerations generations,
            SourceHealth health,
            ReplicatorConfig config) {
        this.health = health;
        this.applier = applier;
        this.metrics = metrics;
        this.watermarks = watermarks;
        this.generations = generations;
        this.backoff = config.applyRetryBackoff();
        this.permits = new ApplyPermits(config.applyConcurrency());
    }

    /**
     * Applies a batch of records concurrently (at most {@code meridian.apply-concurrency} at once over every batch under
     * way), then, in their order, records progress and acknowledges the applied
     * ones; a record that cannot be applied is dead-lettered on its own. Completes when every record is acknowledged
     * or dead-lettered; never fails for a single record's sake.
     */
    public Uni<Void> applyAll(List<? extends Delivery> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Applied>> applies = new ArrayList<>(batch.size());
        for (Delivery delivery : batch) {
            applies.add(permits.run(() -> apply(delivery)));
        }
        return Uni.join().all(applies).andFailFast().chain(this::acknowledge);
    }

    /** One record of a source's event topic, whichever client delivered it. */
    public interface Delivery {
        String topic();

        int partition();

        long offset();

        byte[] payload();

        /** Marks the record applied (its offset may be committed). */
        Uni<Void> ack();

        /** Sends the record to this region's dead-letter topic with the reason; its offset may then be committed. */
        Uni<Void> deadLetter(Throwable reason);
    }

    /** What became of one record: applied with an outcome, or dead-lettered (outcome null). */
    private record Applied(Delivery delivery, CacheEvent event, EventApplier.Outcome outcome) {}

    private Uni<Applied> apply(Delivery delivery) {
        String source = sourceOf(delivery);
        CacheEvent event;
        try {
            event = EventCodec.decode(delivery.payload());
        } catch (RuntimeException poison) {
            return deadLetter(delivery, source, poison);
        }
        return applyUntilDone(event, source)
                .map(outcome -> new Applied(delivery, event, outcome))
                .onFailure()
                .recoverWithUni(refused -> deadLetter(delivery, source, refused));
    }

    private Uni<EventApplier.Outcome> applyUntilDone(CacheEvent event, String source) {
        return generations
                .current(source)
                .chain(generation -> applier.apply(event, generation))
                .onFailure(RedisFailures::isTransient)
                .invoke(failure -> {
                    LOG.warnf("cannot apply %s from %s yet, retrying: %s", event, source, failure);
                    health.applyFailed(source, failure);
                })
                .onFailure(RedisFailures::isTransient)
                .retry()
                .withBackOff(backoff, backoff.multipliedBy(10))
                .indefinitely();
    }

    private Uni<Void> acknowledge(List<Applied> batch) {
        List<Uni<Void>> acks = new ArrayList<>(batch.size());
        List<String> changed = new ArrayList<>();
        for (Applied applied : batch) {
            if (applied.outcome() == null) {
                // Dead-lettered: decided, so its offset counts as applied (a fence on the source's log may wait on it).
                Delivery delivery = applied.delivery();
                if (delivery.offset() >= 0) {
                    generations.applied(sourceOf(delivery), delivery.partition(), delivery.offset());
                }
                continue;
            }
            progressed(applied);
            changedKey(applied).ifPresent(changed::add);
            acks.add(applied.delivery().ack());
        }
        applier.announce(changed);
        return acks.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(acks).andFailFast().replaceWithVoid();
    }

    /** The {@code <namespace>/<key>} of an applied write or delete, whose near-cache entries must go. */
    private static java.util.Optional<String> changedKey(Applied applied) {
        if (applied.outcome() != EventApplier.Outcome.APPLIED) {
            return java.util.Optional.empty();
        }
        if (applied.event() instanceof CacheEvent.Write write) {
            return java.util.Optional.of(write.namespace() + "/" + write.key());
        }
        if (applied.event() instanceof CacheEvent.Delete delete) {
            return java.util.Optional.of(delete.namespace() + "/" + delete.key());
        }
        return java.util.Optional.empty();
    }

    private void progressed(Applied applied) {
        Delivery delivery = applied.delivery();
        String source = sourceOf(delivery);
        metrics.counter(
                        "meridian.replicator.events",
                        "source",
                        source,
                        "outcome",
                        applied.outcome().name().toLowerCase())
                .increment();
        Version version = versionOf(applied.event());
        watermarks.advance(source, delivery.partition(), version.origin(), version.hlc());
        if (delivery.offset() >= 0) {
            generations.applied(source, delivery.partition(), delivery.offset());
        }
    }

    private Uni<Applied> deadLetter(Delivery delivery, String source, Throwable reason) {
        LOG.errorf("dead-lettering an event from %s: %s", source, reason.getMessage());
        metrics.counter("meridian.replicator.events", "source", source, "outcome", "dead_letter")
                .increment();
        return delivery.deadLetter(reason).replaceWith(new Applied(delivery, null, null));
    }

    private static Version versionOf(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.version();
        }
        if (event instanceof CacheEvent.Heartbeat heartbeat) {
            return new Version(heartbeat.hlc(), heartbeat.origin());
        }
        if (event instanceof CacheEvent.Purge purge) {
            return purge.version();
        }
        return ((CacheEvent.Delete) event).version();
    }

    private static String sourceOf(Delivery delivery) {
        return EventTopics.sourceRegion(delivery.topic()).orElse("unknown");
    }
}

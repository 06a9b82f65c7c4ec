package io.meridian.coherence.redis;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.vertx.core.Future;

/**
 * Applies an event from a home region's log to a region's Redis with apply-if-newer, in one script on one key:
 *
 * <ul>
 *   <li>a write that carries its value is stored with its version, expiring when the home's copy does;
 *   <li>a write without its value (over the event size limit) and a delete leave a tombstone with the event's
 *       version, so that an older copy cannot come back and the next read fills from the home region;
 *   <li>a write that has already expired also leaves a tombstone: skipping it would let an older, longer-lived write
 *       applied before it survive.
 * </ul>
 *
 * Applying the same event twice, or an event older than what is stored, changes nothing.
 */
public final class EventApplier {

    /** What applying one event did. */
    public enum Outcome {
        /** The event's version is now stored (value or tombstone). */
        APPLIED,
        /** A newer or equal version was already stored; nothing changed. */
        SUPERSEDED,
        /** A heartbeat: nothing to store; it advances the watermark. */
        HEARTBEAT
    }

    private final CoherenceScripts scripts;
    private final WallClock clock;
    private final long tombstoneTtlMillis;

    public EventApplier(CoherenceScripts scripts, WallClock clock, long tombstoneTtlMillis) {
        if (tombstoneTtlMillis <= 0) {
            throw new IllegalArgumentException("tombstone TTL must be positive");
        }
        this.scripts = scripts;
        this.clock = clock;
        this.tombstoneTtlMillis = tombstoneTtlMillis;
    }

    public Future<Outcome> apply(CacheEvent event) {
        return apply(event, 0);
    }

    /** Applies an event of a source whose current generation in this region is {@code generation}. */
    public Future<Outcome> apply(CacheEvent event, long generation) {
        if (event instanceof CacheEvent.Write write) {
            return applyWrite(write, generation);
        }
        if (event instanceof CacheEvent.Delete delete) {
            return tombstone(
                    RedisKeys.value(delete.namespace(), delete.key(), generation),
                    StoredValue.tombstone(delete.version()).withExternalVersion(delete.externalVersion()));
        }
        if (event instanceof CacheEvent.Heartbeat) {
            return Future.succeededFuture(Outcome.HEARTBEAT);
        }
        if (event instanceof CacheEvent.Purge purge) {
            return scripts.recordPurge(purge).map(EventApplier::outcome);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private Future<Outcome> applyWrite(CacheEvent.Write write, long generation) {
        String key = RedisKeys.value(write.namespace(), write.key(), generation);
        long remaining = write.expiresAtMillis() - clock.millis();
        if (!write.carriesValue() || remaining <= 0) {
            return tombstone(key, StoredValue.tombstone(write.version()).withExternalVersion(write.externalVersion()));
        }
        StoredValue value = StoredValue.value(
                        write.version(), write.contentType(), write.value(), write.expiresAtMillis())
                .withExternalVersion(write.externalVersion());
        return scripts.setIfNewer(key, value, remaining).map(EventApplier::outcome);
    }

    private Future<Outcome> tombstone(String key, StoredValue tombstone) {
        return scripts.tombstoneIfNewer(key, tombstone, tombstoneTtlMillis).map(EventApplier::outcome);
    }

    private static Outcome outcome(boolean stored) {
        return stored ? Outcome.APPLIED : Outcome.SUPERSEDED;
    }
}

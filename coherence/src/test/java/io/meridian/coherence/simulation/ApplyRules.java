package io.meridian.coherence.simulation;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.util.Optional;

/**
 * The apply-if-newer rules, restated for in-memory stores in the two steps the production code takes:
 *
 * <ol>
 *   <li>{@link #forEvent}: what {@link EventApplier} asks the script to store for one event, and for how long (a write
 *       with its value: the value, for its remaining TTL; a write without value or already expired, and a delete: a
 *       tombstone of the event's version for the tombstone TTL; a heartbeat: nothing);
 *   <li>{@link #replaces}: the decision of {@code set_if_newer.lua}, which compares the version bytes of what is
 *       stored, value or tombstone alike, and stores only a strictly newer version.
 * </ol>
 *
 * {@code ApplyRulesIntegrationTest} runs the same events through this class and through {@link EventApplier} on a
 * real Redis and compares the results, so the model cannot drift from the scripts unnoticed.
 */
final class ApplyRules {

    /** What to store and for how long. */
    record Instruction(StoredValue value, long ttlMillis) {}

    private ApplyRules() {}

    static Optional<Instruction> forEvent(CacheEvent event, long nowMillis, long tombstoneTtlMillis) {
        if (event instanceof CacheEvent.Write write) {
            long remaining = write.expiresAtMillis() - nowMillis;
            if (!write.carriesValue() || remaining <= 0) {
                return Optional.of(new Instruction(StoredValue.tombstone(write.version()), tombstoneTtlMillis));
            }
            StoredValue value =
                    StoredValue.value(write.version(), write.contentType(), write.value(), write.expiresAtMillis());
            return Optional.of(new Instruction(value, remaining));
        }
        if (event instanceof CacheEvent.Delete delete) {
            return Optional.of(new Instruction(StoredValue.tombstone(delete.version()), tombstoneTtlMillis));
        }
        return Optional.empty();
    }

    /** @return true when {@code incoming} may replace {@code current} (null: the key is absent or expired) */
    static boolean replaces(StoredValue incoming, StoredValue current) {
        return current == null || incoming.version().compareTo(current.version()) > 0;
    }

    static String keyOf(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.key();
        }
        if (event instanceof CacheEvent.Delete delete) {
            return delete.key();
        }
        throw new IllegalArgumentException("not a key event: " + event);
    }

    static Version versionOf(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.version();
        }
        if (event instanceof CacheEvent.Delete delete) {
            return delete.version();
        }
        throw new IllegalArgumentException("not a key event: " + event);
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredValue;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One region's Redis as the coherence scripts use it: per key a {@link StoredValue} (value or tombstone) with an
 * absolute expiry on the region's own wall clock, as Redis keeps it ({@code PX} is stored as now + ttl, and a key is
 * gone once the clock has passed that time, even if the clock later steps back).
 *
 * <p>With {@code expiredValuesKeepVersion} a value that expires turns into a tombstone of its version for one more
 * tombstone TTL instead of vanishing: the fix this simulation proposes for resurrection of overwritten values by late
 * events (see {@code CoherenceSimulationTest}). Off by default, because the scripts do not do it.
 *
 * <p>A home keeps the external version a write carried with its value or tombstone ({@link ConditionalWrites}); the
 * tombstone an expired value turns into keeps it too. Replicas keep none: only homes check them.
 */
final class ReplicaStore {

    /** A stored value, when it expires on this region's wall clock, and the external version it was written with. */
    record Entry(StoredValue value, long expiresAtMillis, OptionalLong externalVersion) {}

    private final WallClock clock;
    private final long tombstoneTtlMillis;
    private final boolean expiredValuesKeepVersion;
    private final BiConsumer<String, StoredValue> onStored;
    private final Map<String, Entry> entries = new TreeMap<>();

    ReplicaStore(
            WallClock clock,
            long tombstoneTtlMillis,
            boolean expiredValuesKeepVersion,
            BiConsumer<String, StoredValue> onStored) {
        this.clock = clock;
        this.tombstoneTtlMillis = tombstoneTtlMillis;
        this.expiredValuesKeepVersion = expiredValuesKeepVersion;
        this.onStored = onStored;
    }

    /** {@code get_with_ttl.lua}: the entry, or null when absent or expired. */
    Entry get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        long now = clock.millis();
        if (now <= entry.expiresAtMillis()) {
            return entry;
        }
        long keptUntil = entry.expiresAtMillis() + tombstoneTtlMillis;
        if (expiredValuesKeepVersion && !entry.value().tombstone() && now <= keptUntil) {
            Entry floor = new Entry(StoredValue.tombstone(entry.value().version()), keptUntil, entry.externalVersion());
            entries.put(key, floor);
            return floor;
        }
        entries.remove(key);
        return null;
    }

    /** @return the remaining TTL of an entry, as {@code PTTL} reports it */
    long remainingTtl(Entry entry) {
        return entry.expiresAtMillis() - clock.millis();
    }

    /** {@code set_if_newer.lua}: stores unless the key holds an equal or newer version. */
    boolean setIfNewer(String key, StoredValue value, long ttlMillis) {
        return setIfNewer(key, value, OptionalLong.empty(), ttlMillis);
    }

    /** {@link #setIfNewer(String, StoredValue, long)}, keeping the external version a home was given. */
    boolean setIfNewer(String key, StoredValue value, OptionalLong externalVersion, long ttlMillis) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttl must be positive: " + ttlMillis);
        }
        Entry current = get(key);
        if (!ApplyRules.replaces(value, current == null ? null : current.value())) {
            return false;
        }
        entries.put(key, new Entry(value, clock.millis() + ttlMillis, externalVersion));
        onStored.accept(key, value);
        return true;
    }

    /** {@code EventApplier.apply}: apply-if-newer of one event from a home region's log. */
    boolean apply(CacheEvent event) {
        return ApplyRules.forEvent(event, clock.millis(), tombstoneTtlMillis)
                .map(instruction -> setIfNewer(ApplyRules.keyOf(event), instruction.value(), instruction.ttlMillis()))
                .orElse(false);
    }

    /** {@code KeyCache.keepCopy}: a copy made elsewhere; tombstones are kept for the tombstone TTL. */
    boolean keepCopy(String key, StoredValue value, long ttlMillis) {
        return setIfNewer(key, value, value.tombstone() ? tombstoneTtlMillis : Math.max(1, ttlMillis));
    }

    List<String> keys() {
        return List.copyOf(entries.keySet());
    }
}

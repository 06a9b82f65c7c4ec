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
 * <p>A value stays {@code expiredGraceMillis} past its expiry, as {@code CoherenceScripts} keeps it (its key's
 * {@code PX} is the value's remaining TTL plus the grace): no longer served, but keeping its version, so that a late
 * event of an older write cannot take its place. The model shows it as a tombstone of the value's version, which is
 * what a read or fill makes of an expired value. Production runs with the grace equal to the tombstone TTL
 * ({@code RegionApplier}, {@code RegionStore}); a grace of 0 is the variant that forgets the version at expiry (see
 * {@code CoherenceSimulationTest#shortValueTtl_lateOlderEvent_resurrectsOverwrittenValue}).
 *
 * <p>A home keeps the external version a write carried with its value or tombstone ({@link ConditionalWrites}); the
 * tombstone an expired value turns into keeps it too. Replicas keep none: only homes check them.
 */
final class ReplicaStore {

    /** A stored value, when it expires on this region's wall clock, and the external version it was written with. */
    record Entry(StoredValue value, long expiresAtMillis, OptionalLong externalVersion) {}

    private final WallClock clock;
    private final long tombstoneTtlMillis;
    private final long expiredGraceMillis;
    private final BiConsumer<String, StoredValue> onStored;
    private final Map<String, Entry> entries = new TreeMap<>();

    ReplicaStore(
            WallClock clock,
            long tombstoneTtlMillis,
            long expiredGraceMillis,
            BiConsumer<String, StoredValue> onStored) {
        if (expiredGraceMillis < 0) {
            throw new IllegalArgumentException("grace must not be negative: " + expiredGraceMillis);
        }
        this.clock = clock;
        this.tombstoneTtlMillis = tombstoneTtlMillis;
        this.expiredGraceMillis = expiredGraceMillis;
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
        long keptUntil = keptUntil(entry);
        if (!entry.value().tombstone() && now <= keptUntil) {
            Entry floor = new Entry(StoredValue.tombstone(entry.value().version()), keptUntil, entry.externalVersion());
            entries.put(key, floor);
            return floor;
        }
        entries.remove(key);
        return null;
    }

    /** @return when the entry's Redis key goes: a tombstone at its expiry, a value one grace later */
    long keptUntil(Entry entry) {
        return entry.value().tombstone() ? entry.expiresAtMillis() : entry.expiresAtMillis() + expiredGraceMillis;
    }

    /** FLUSHALL: every value and tombstone is gone. */
    void flushAll() {
        entries.clear();
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

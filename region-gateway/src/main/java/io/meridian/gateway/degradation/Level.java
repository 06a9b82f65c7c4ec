package io.meridian.gateway.degradation;

import java.util.EnumSet;
import java.util.Set;

/**
 * How degraded a gateway runs, from measured load (see {@link LevelPolicy}). Each level switches off the features of
 * the levels below it and its own, cheapest to lose first.
 */
public enum Level {
    /** Everything on. */
    NORMAL(EnumSet.noneOf(Feature.class)),
    /** p99 over 200 ms or CPU over 75%: no early refresh, no warming of this region's hot keys elsewhere. */
    ADVISORY(EnumSet.of(Feature.EARLY_REFRESH, Feature.WARMING)),
    /** p99 over 400 ms or CPU over 85%: no hot-key broadcast, no read statistics (hot keys, replicas). */
    WARNING(EnumSet.of(Feature.EARLY_REFRESH, Feature.WARMING, Feature.HOT_KEY_BROADCAST, Feature.STATISTICS)),
    /**
     * Errors over 1% or p99 over 1 s: stale-preferred reads: a read without a session token that finds an expired
     * copy within its stale window answers it rather than loading from the origin or the home.
     */
    CRITICAL(EnumSet.of(
            Feature.EARLY_REFRESH,
            Feature.WARMING,
            Feature.HOT_KEY_BROADCAST,
            Feature.STATISTICS,
            Feature.FRESH_READS)),
    /** Errors over 5% or p99 over 2 s: read-only, except writes of priority 1. */
    SURVIVAL(EnumSet.allOf(Feature.class));

    private final Set<Feature> off;

    Level(Set<Feature> off) {
        this.off = Set.copyOf(off);
    }

    /** @return the features this level switches off */
    public Set<Feature> switchedOff() {
        return off;
    }

    /** @return whether {@code feature} runs at this level */
    public boolean allows(Feature feature) {
        return !off.contains(feature);
    }

    /** Features a level can switch off. */
    public enum Feature {
        /** XFetch early refresh of values close to expiry. */
        EARLY_REFRESH,
        /** Other regions' replicators warming this region's hot keys. */
        WARMING,
        /** Announcing this gateway's hot keys on {@code meridian.<region>.hotkeys}. */
        HOT_KEY_BROADCAST,
        /** Counting reads per key (the hot list and hot-key replicas). */
        STATISTICS,
        /** Loading an expired value again before answering (off: answer it stale within its window). */
        FRESH_READS,
        /** Writes and deletes of priority 2 to 4. */
        WRITES
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.version.Version;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One region: its skewed wall clock and the HLC on top of it, its Redis, its event log ({@code meridian.<region>.events},
 * one partition: the order in which the home assigned versions) and, per source region, which of that source's events
 * its replicator has applied.
 */
final class Region {

    final String name;
    final int index;
    final SkewedClock clock;
    final HybridLogicalClock hlc;
    final ReplicaStore store;

    private final List<CacheEvent> log = new ArrayList<>();
    private final Map<String, AppliedLog> applied = new HashMap<>();

    Region(String name, int index, SkewedClock clock, ReplicaStore store) {
        this.name = name;
        this.index = index;
        this.clock = clock;
        this.hlc = new HybridLogicalClock(clock);
        this.store = store;
    }

    /** The version of a write executed here as home: this region's HLC, node 0. */
    Version nextVersion() {
        return new Version(hlc.now(), Version.originId(index, 0));
    }

    /** @return the offset of the appended event */
    int append(CacheEvent event) {
        log.add(event);
        return log.size() - 1;
    }

    CacheEvent event(int offset) {
        return log.get(offset);
    }

    int logSize() {
        return log.size();
    }

    /** The replicator applies one event of {@code source}'s log (maybe again, maybe out of order). */
    void applyFromLog(Region source, int offset) {
        store.apply(source.event(offset));
        appliedLog(source).markApplied(offset);
    }

    /**
     * The applied watermark for {@code source}, as {@code ReplicationWatermark} defines it: the HLC up to which every
     * event of that source has been applied here. A home assigns versions in log order, so that is the version of the
     * last event of the longest applied prefix of its log.
     */
    OptionalLong watermark(Region source) {
        int prefix = appliedLog(source).prefix();
        return prefix == 0
                ? OptionalLong.empty()
                : OptionalLong.of(ApplyRules.versionOf(source.event(prefix - 1)).hlc());
    }

    /** @return how many events of {@code source}'s log lie in the applied prefix */
    int appliedPrefix(Region source) {
        return appliedLog(source).prefix();
    }

    private AppliedLog appliedLog(Region source) {
        return applied.computeIfAbsent(source.name, name -> new AppliedLog());
    }

    @Override
    public String toString() {
        return name;
    }

    /** Offsets applied so far, and the length of the gap-free prefix. */
    private static final class AppliedLog {

        private final BitSet offsets = new BitSet();
        private int prefix;

        void markApplied(int offset) {
            offsets.set(offset);
            while (offsets.get(prefix)) {
                prefix++;
            }
        }

        int prefix() {
            return prefix;
        }
    }
}

package io.meridian.coherence.simulation;

import java.util.List;
import java.util.Random;

/**
 * Everything a run depends on besides its seed. Times are milliseconds of simulated time.
 *
 * <h2>The two TTL bounds</h2>
 *
 * A late event can only be refused if the key still remembers a newer version. A tombstone remembers a delete for the
 * tombstone TTL; a value remembers its version only until it expires. Neither may be forgotten while an older event
 * of the key can still arrive, so both must outlive the longest delivery delay ({@link Faults#maxDeliveryGapMillis()}),
 * plus the clock margin by which a region may expire things early ({@link Faults#clockMarginMillis()}):
 *
 * <ul>
 *   <li>{@code tombstoneTtl > maxDeliveryGap + clockMargin}, or a deleted value resurrects (the design states this
 *       bound);
 *   <li>{@code value TTL > maxDeliveryGap + clockMargin}, or an overwritten value resurrects once its successor has
 *       expired, unless an expired value keeps its version for a grace that itself exceeds that bound, as production
 *       does (grace = tombstone TTL, {@link Protocol#expiredValuesKeepVersion()}); a client may pick any TTL, so the
 *       grace is what holds the bound: see
 *       {@code CoherenceSimulationTest#shortValueTtl_lateOlderEvent_resurrectsOverwrittenValue}).
 * </ul>
 *
 * {@link #defaults()} keeps both, with production's grace; the documenting tests break one at a time.
 *
 * <h2>The stale-fill bound</h2>
 *
 * A home refuses a stale fill only while it still remembers what came after the fill's read: the version a lease was
 * issued against, the external version of a newer value or tombstone. Both are forgotten when that value or tombstone
 * expires, and a lease issued while the key was absent passes again once the key is absent again. So the longest a
 * put may take from its row read to reaching the home (a filler's delay, or an updater's retries, plus one link
 * latency), and the lease TTL, plus the clock margin, must stay below the tombstone TTL and the shortest value TTL.
 */
record SimulationConfig(List<String> regions, Workload workload, Faults faults, Ttls ttls, Protocol protocol) {

    /** Who does what, and for how long. */
    record Workload(
            int tokenClients,
            int tokenlessClients,
            int keys,
            long durationMillis,
            long maxThinkMillis,
            CacheAside cacheAside) {}

    /**
     * The clients of {@link CacheAsideWorkload}, over keys of their own (one {@link Database} row each).
     *
     * @param fillers clients that read through: miss, lease, read the row, put it at most {@code maxFillDelayMillis}
     *     later
     * @param updaters clients that change rows and then invalidate (delete) or overwrite the cached copy
     * @param rowDeleteShare how many row changes delete the row (the others update it)
     * @param invalidateShare how many updates delete the cached copy (the others put the new row)
     */
    record CacheAside(
            int rows,
            int fillers,
            int updaters,
            long maxFillDelayMillis,
            double rowDeleteShare,
            double invalidateShare) {}

    /**
     * What the network and clocks do wrong.
     *
     * @param maxDeliveryDelayMillis an event's first delivery attempt, 1..this after it was appended
     * @param dropProbability the first attempt is lost; the event is redelivered within {@code maxRedeliveryMillis}
     * @param duplicateProbability the event is delivered once more within {@code maxRedeliveryMillis}
     * @param maxPartitionMillis a partition between two regions lasts at most this
     * @param meanPartitionGapMillis on average one new partition every this
     * @param maxLinkLatencyMillis one-way latency of forwarded writes and fills between regions
     */
    record Faults(
            long maxSkewMillis,
            long maxDeliveryDelayMillis,
            double dropProbability,
            double duplicateProbability,
            long maxRedeliveryMillis,
            long maxPartitionMillis,
            long meanPartitionGapMillis,
            long maxLinkLatencyMillis) {

        /**
         * Longest time between an event being appended and any delivery of it: a redelivery attempt, held up by a
         * partition that has just started, then delivered after the heal. Also bounds how long a fill or forwarded
         * reply may carry an old version around.
         */
        long maxDeliveryGapMillis() {
            return Math.max(
                    maxRedeliveryMillis + maxPartitionMillis + maxDeliveryDelayMillis, 2 * maxLinkLatencyMillis);
        }

        /**
         * How far apart two regions may judge the same expiry: clocks differ by up to twice the skew, the HLC may run
         * ahead of the wall clock by a backwards step, and a fill re-anchors the remaining TTL after a round trip.
         */
        long clockMarginMillis() {
            return 5 * maxSkewMillis + 2 * maxLinkLatencyMillis + 1;
        }
    }

    /**
     * Value TTLs (mostly long, some short), the tombstone TTL, and the fill lease TTL: how long a lease stays valid,
     * and the period in which a home hands out at most one lease per key.
     */
    record Ttls(
            long longTtlMillis,
            long minShortTtlMillis,
            long maxShortTtlMillis,
            double shortTtlProbability,
            long tombstoneTtlMillis,
            long leaseTtlMillis) {

        /** @return a client's TTL for one value: short with {@code shortTtlProbability}, else long */
        long draw(Random random) {
            if (random.nextDouble() < shortTtlProbability) {
                return minShortTtlMillis + random.nextInt((int) (maxShortTtlMillis - minShortTtlMillis + 1));
            }
            return longTtlMillis;
        }
    }

    /**
     * How fills are shared, whether an expired value keeps its version, which writes a home checks for their fill
     * lease and external version, and whether a write without an external version keeps the stored one. The
     * production code is the default, except where the model runs a proposed fix ({@link
     * FillCoalescing#JOIN_THEN_CHECK_TOKEN}, {@code unversionedWritesKeepExternalVersion}).
     *
     * @param expiredValuesKeepVersion an expired value stays, keeping its version, for a grace equal to the tombstone
     *     TTL ({@link SimulationConfig#expiredGraceMillis()}), as the gateway and replicator configure {@code
     *     CoherenceScripts}; off only in the variant that shows what the grace prevents
     *
     * @param unversionedWritesKeepExternalVersion a write without an external version (a lease-only fill) keeps the one
     *     stored with the key, so that what a home remembers of a key never goes down while it remembers the key; the
     *     gateway's {@code WriteConditions} stores none instead
     */
    record Protocol(
            FillCoalescing fillCoalescing,
            boolean expiredValuesKeepVersion,
            WriteChecks writeChecks,
            boolean unversionedWritesKeepExternalVersion) {

        Protocol withFillCoalescing(FillCoalescing changed) {
            return new Protocol(changed, expiredValuesKeepVersion, writeChecks, unversionedWritesKeepExternalVersion);
        }

        Protocol withExpiredValuesKeepVersion(boolean changed) {
            return new Protocol(fillCoalescing, changed, writeChecks, unversionedWritesKeepExternalVersion);
        }

        Protocol withWriteChecks(WriteChecks changed) {
            return new Protocol(
                    fillCoalescing, expiredValuesKeepVersion, changed, unversionedWritesKeepExternalVersion);
        }

        Protocol withUnversionedWritesKeepExternalVersion(boolean changed) {
            return new Protocol(fillCoalescing, expiredValuesKeepVersion, writeChecks, changed);
        }
    }

    /** Which writes a home checks for the fill lease and external version they carry ({@link ConditionalWrites}). */
    enum WriteChecks {
        /** None: every write is taken. Only to show that the stale-fill checks can fail. */
        NONE,
        /** Puts only, as the feature was first stated: a delete is taken even with an older external version. */
        PUTS,
        /** Puts, and deletes older than the stored external version, as the gateway's {@code WriteConditions} does. */
        PUTS_AND_DELETES
    }

    /** How concurrent misses for one key in one gateway share a fill from the home region. */
    enum FillCoalescing {
        /** Every miss fills on its own. */
        NONE,
        /** A miss joins a fill already in flight and takes its answer, whatever the joiner's token says. */
        JOIN_IN_FLIGHT,
        /** As {@link #JOIN_IN_FLIGHT}, but a joiner whose token the shared answer does not satisfy fills again. */
        JOIN_THEN_CHECK_TOKEN
    }

    static SimulationConfig defaults() {
        Faults faults = new Faults(500, 1_000, 0.05, 0.05, 4_000, 4_000, 2_500, 40);
        return new SimulationConfig(
                List.of("us-east", "eu-west", "ap-south"),
                new Workload(9, 3, 12, 30_000, 120, new CacheAside(3, 4, 2, 1_500, 0.3, 0.5)),
                faults,
                safeTtls(faults),
                new Protocol(FillCoalescing.JOIN_THEN_CHECK_TOKEN, true, WriteChecks.PUTS_AND_DELETES, true));
    }

    /**
     * TTLs that keep both bounds: the tombstone TTL and the shortest value TTL a second above the longest delivery
     * gap plus the clock margin; one value in five gets a short TTL (up to ten seconds more), the rest ten minutes.
     * Leases last one second, well inside the stale-fill bound.
     */
    static Ttls safeTtls(Faults faults) {
        long safe = faults.maxDeliveryGapMillis() + faults.clockMarginMillis() + 1_000;
        return new Ttls(600_000, safe, safe + 10_000, 0.2, safe, 1_000);
    }

    SimulationConfig withTtls(Ttls changed) {
        return new SimulationConfig(regions, workload, faults, changed, protocol);
    }

    SimulationConfig withProtocol(Protocol changed) {
        return new SimulationConfig(regions, workload, faults, ttls, changed);
    }

    SimulationConfig withFaults(Faults changed) {
        return new SimulationConfig(regions, workload, changed, ttls, protocol);
    }

    /**
     * @return how long a value stays past its expiry, keeping its version: the tombstone TTL when expired values keep
     *     their version (production: {@code RegionApplier} and {@code RegionStore} pass {@code meridian.tombstone-ttl}
     *     as {@code CoherenceScripts}' grace), else 0
     */
    long expiredGraceMillis() {
        return protocol.expiredValuesKeepVersion() ? ttls.tombstoneTtlMillis() : 0;
    }

    /** @return true when both TTL bounds of the class comment hold */
    boolean ttlBoundsHold() {
        long needed = faults.maxDeliveryGapMillis() + faults.clockMarginMillis();
        return ttls.tombstoneTtlMillis() > needed
                && (ttls.minShortTtlMillis() > needed || expiredGraceMillis() > needed);
    }

    /** @return true when the stale-fill bound of the class comment holds */
    boolean staleFillBoundHolds() {
        long fill = workload.cacheAside().maxFillDelayMillis() + faults.maxLinkLatencyMillis();
        long needed = Math.max(fill, ttls.leaseTtlMillis()) + faults.clockMarginMillis();
        return ttls.tombstoneTtlMillis() > needed && ttls.minShortTtlMillis() > needed;
    }
}

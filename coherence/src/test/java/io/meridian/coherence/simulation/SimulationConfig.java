package io.meridian.coherence.simulation;

import java.util.List;

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
 *       expired (the design does not state this bound, and a client may pick any TTL: see
 *       {@code CoherenceSimulationTest#shortValueTtl_lateOlderEvent_resurrectsOverwrittenValue}).
 * </ul>
 *
 * {@link #defaults()} keeps both; the documenting tests break one at a time.
 */
record SimulationConfig(List<String> regions, Workload workload, Faults faults, Ttls ttls, Protocol protocol) {

    /** Who does what, and for how long. */
    record Workload(int tokenClients, int tokenlessClients, int keys, long durationMillis, long maxThinkMillis) {}

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

    /** Value TTLs (mostly long, some short) and the tombstone TTL. */
    record Ttls(
            long longTtlMillis,
            long minShortTtlMillis,
            long maxShortTtlMillis,
            double shortTtlProbability,
            long tombstoneTtlMillis) {}

    /** How fills are shared and whether an expired value keeps its version; the production code is the default. */
    record Protocol(FillCoalescing fillCoalescing, boolean expiredValuesKeepVersion) {}

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
                new Workload(9, 3, 12, 30_000, 120),
                faults,
                safeTtls(faults),
                new Protocol(FillCoalescing.JOIN_THEN_CHECK_TOKEN, false));
    }

    /**
     * TTLs that keep both bounds: the tombstone TTL and the shortest value TTL a second above the longest delivery
     * gap plus the clock margin; one value in five gets a short TTL (up to ten seconds more), the rest ten minutes.
     */
    static Ttls safeTtls(Faults faults) {
        long safe = faults.maxDeliveryGapMillis() + faults.clockMarginMillis() + 1_000;
        return new Ttls(600_000, safe, safe + 10_000, 0.2, safe);
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

    /** @return true when both TTL bounds of the class comment hold */
    boolean ttlBoundsHold() {
        long needed = faults.maxDeliveryGapMillis() + faults.clockMarginMillis();
        return ttls.tombstoneTtlMillis() > needed && ttls.minShortTtlMillis() > needed;
    }
}

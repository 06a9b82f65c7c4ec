package io.meridian.coherence.simulation;

import java.util.Locale;

/**
 * Named configurations, so that a failing seed of any test replays with {@code -Dmeridian.simulation.seed=N
 * -Dmeridian.simulation.profile=<name>}. Only {@link #DEFAULT} must pass; the others break one assumption each, to
 * show that the checks catch what that assumption prevents.
 */
enum SimulationProfile {

    /** The production protocol (expired values keep their version for the tombstone TTL), both TTL bounds kept. */
    DEFAULT {
        @Override
        SimulationConfig config() {
            return SimulationConfig.defaults();
        }
    },

    /** Tombstones expire long before the last late event of their key can arrive. */
    SHORT_TOMBSTONE_TTL {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            return defaults.withTtls(new SimulationConfig.Ttls(600_000, 600_000, 600_000, 0, 1_500, 1_000));
        }
    },

    /**
     * Some values live 1-4 s, shorter than the longest delivery gap, and an expired value forgets its version at once
     * (no grace); tombstones keep their bound.
     */
    SHORT_VALUE_TTL {
        @Override
        SimulationConfig config() {
            SimulationConfig shortTtl = SHORT_VALUE_TTL_EXPIRED_KEEP_VERSION.config();
            return shortTtl.withProtocol(shortTtl.protocol().withExpiredValuesKeepVersion(false));
        }
    },

    /** {@link #SHORT_VALUE_TTL} as production runs it: an expired value keeps its version for the grace. */
    SHORT_VALUE_TTL_EXPIRED_KEEP_VERSION {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            long tombstoneTtl = defaults.ttls().tombstoneTtlMillis();
            return defaults.withTtls(new SimulationConfig.Ttls(600_000, 1_000, 4_000, 0.3, tombstoneTtl, 1_000));
        }
    },

    /**
     * Concurrent misses join a fill in flight and take its answer as {@code KeyRouter.fill} does today; slower links
     * (up to 300 ms each way) widen the window in which a client's token is newer than a shared fill.
     */
    JOIN_IN_FLIGHT_FILLS {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            SimulationConfig.Faults f = defaults.faults();
            SimulationConfig.Faults slow = new SimulationConfig.Faults(
                    f.maxSkewMillis(),
                    f.maxDeliveryDelayMillis(),
                    f.dropProbability(),
                    f.duplicateProbability(),
                    f.maxRedeliveryMillis(),
                    f.maxPartitionMillis(),
                    f.meanPartitionGapMillis(),
                    300);
            return defaults.withFaults(slow)
                    .withTtls(SimulationConfig.safeTtls(slow))
                    .withProtocol(
                            defaults.protocol().withFillCoalescing(SimulationConfig.FillCoalescing.JOIN_IN_FLIGHT));
        }
    },

    /**
     * The homes take every write as if it carried no lease and no external version: the negative control of the
     * stale-fill checks, which must then find deleted rows coming back.
     */
    UNCHECKED_WRITES {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            return defaults.withProtocol(defaults.protocol().withWriteChecks(SimulationConfig.WriteChecks.NONE));
        }
    },

    /**
     * The homes check puts only, as the feature was first stated: a late delete with an older external version is
     * taken and lowers the stored one.
     */
    UNCHECKED_DELETES {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            return defaults.withProtocol(defaults.protocol().withWriteChecks(SimulationConfig.WriteChecks.PUTS));
        }
    },

    /**
     * A write without an external version (a lease-only fill) leaves none, as the gateway's {@code WriteConditions}
     * stores it, so the next stale put that carries one is not checked.
     */
    UNVERSIONED_WRITES_CLEAR_VERSION {
        @Override
        SimulationConfig config() {
            SimulationConfig defaults = SimulationConfig.defaults();
            return defaults.withProtocol(defaults.protocol().withUnversionedWritesKeepExternalVersion(false));
        }
    };

    abstract SimulationConfig config();

    static SimulationProfile named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

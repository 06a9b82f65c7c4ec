package io.meridian.coherence.simulation;

import java.util.Locale;

/**
 * Named configurations of {@link HomeMoveSimulation}, so that a failing seed replays with {@code
 * -Dmeridian.simulation.seed=N -Dmeridian.simulation.profile=<name>}. Only {@link #DEFAULT} and {@link #WIDE_SKEW} must pass;
 * each other one switches one rule off, to show that the checks catch what that rule prevents.
 */
enum HomeMoveProfile {

    /** The protocol's rules, production settings (expired values keep their version for the tombstone TTL). */
    DEFAULT {
        @Override
        HomeMoveConfig config() {
            return HomeMoveConfig.defaults();
        }
    },

    /** No fencing: new executors write at once, a returning home takes its keys back by itself. */
    NO_FENCING {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig defaults = HomeMoveConfig.defaults();
            return defaults.withRules(defaults.rules().withFencing(false));
        }
    },

    /** After a data loss the replicator goes on from its offsets: nothing is replayed, nothing waits. */
    NO_REPLAY_AFTER_DATA_LOSS {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig defaults = HomeMoveConfig.defaults();
            return defaults.withRules(defaults.rules().withReplayAfterDataLoss(false));
        }
    },

    /** The replay after a data loss starts at the loss, not a tombstone TTL plus the longest delay before it. */
    SHORT_REPLAY_REWIND {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig defaults = HomeMoveConfig.defaults();
            return defaults.withRules(defaults.rules().withRewindMillis(0));
        }
    },

    /**
     * A home lets a write's key lock go when the request times out, while its append is still undecided. Clocks may be
     * up to 500 ms off (the default protocol holds with that too, see {@link #WIDE_SKEW}), so that a next home whose
     * clock is behind can take versions below those of a late append of the drained home.
     */
    LOCK_RELEASED_AT_TIMEOUT {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig wide = WIDE_SKEW.config();
            return wide.withRules(wide.rules().withLockUntilAppendDecided(false));
        }
    },

    /**
     * Unconditional puts run without the key's lock (the gateway locks only conditional writes and deletes): a put
     * can take its version between a conditional put's check and its version.
     */
    UNLOCKED_UNCONDITIONAL_PUTS {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig defaults = HomeMoveConfig.defaults();
            return defaults.withRules(defaults.rules().withLockEveryWrite(false));
        }
    },

    /** The protocol's rules with clocks up to 500 ms off (the tombstone TTL and the replay rewind grow with it). */
    WIDE_SKEW {
        @Override
        HomeMoveConfig config() {
            HomeMoveConfig wide = HomeMoveConfig.defaults().withMaxSkewMillis(500);
            return wide.withRules(wide.rules().withRewindMillis(wide.replayRewindMillis()));
        }
    };

    abstract HomeMoveConfig config();

    static HomeMoveProfile named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

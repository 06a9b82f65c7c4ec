package io.meridian.coherence.simulation;

/** A broken guarantee, found by {@link ConsistencyChecker}. */
record Violation(Kind kind, String key, long atMillis, String detail) {

    enum Kind {
        /** A client read an older version of a key than it wrote, or a miss while its write is surely live. */
        READ_YOUR_WRITES,
        /** A client read an older version of a key than it had read before. */
        MONOTONIC_READS,
        /** A value older than a delete applied in the reading region came back. */
        RESURRECTION,
        /** A database row version came back in the cache after the home had taken a newer delete or write of it. */
        STALE_FILL,
        /** After every partition healed and every event was delivered, a region differs from the home's truth. */
        CONVERGENCE,
        /** A read returned a value its version was not written with, or a value that is surely expired. */
        INTEGRITY,
        /** An event was never delivered. */
        DELIVERY,
        /** Two regions acknowledged writes of one key under the same home assignment epoch. */
        SPLIT_HOME,
        /** A write acknowledged before another was sent has the newer version of the two. */
        VERSION_ORDER,
        /** An acknowledged write was superseded by a write that began before it, or is missing after convergence. */
        LOST_WRITE,
        /** A conditional write took effect although the version it named was not the key's latest. */
        CONDITIONAL_WRITE
    }

    @Override
    public String toString() {
        return kind + " on " + key + " at +" + atMillis + " ms: " + detail;
    }
}

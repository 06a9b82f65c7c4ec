package io.meridian.coherence.simulation;

import java.util.List;

/**
 * Everything a run of {@link HomeMoveSimulation} depends on besides its seed. Times are milliseconds of simulated
 * time.
 *
 * <h2>Bounds</h2>
 *
 * A late event of a key is refused only while the key still remembers a newer version, so tombstones (and expired
 * values, for the grace, which production sets to the tombstone TTL) must outlive the longest delivery gap plus the
 * clock margin. In this model a delivery to a region that is down waits until it returns, so the gap includes the
 * outage. After a Redis data loss the region replays each source from {@link #replayRewindMillis()} before the loss
 * (by the source's record timestamps, read on the region's clock): every tombstone stored since then is rebuilt, and
 * one stored before it would have expired by now anyway, since it was applied at most one gap after its event.
 *
 * @param clients clients, each with one request at a time
 * @param keys keys, homed by rendezvous hashing over {@link #regions()}
 * @param casShare of the requests, conditional puts ({@code If-Match} with the version the client last saw)
 * @param readShare of the requests, reads at the key's executing home (to learn versions for conditional puts)
 * @param deleteShare of the requests, deletes; the rest are unconditional puts
 * @param dropProbability an event's first delivery is lost and redelivered up to {@code maxRedeliveryMillis} later;
 *     with the same probability it is delivered once more
 * @param clientTimeoutMillis a client gives up on a write after this and takes its outcome as unknown
 * @param maxAppendMillis a log append is decided 1..this after the version is taken, or after {@code
 *     slowAppendMillis} with {@code slowAppendProbability} (a produce that waits for Kafka's acknowledgement)
 * @param appendFailureProbability an append fails (not in the log, not applied, answered 503)
 * @param meanMoveGapMillis on average one move (planned handover and failback, or an outage with failover and
 *     return) starts every this, one at a time
 * @param failoverAfterMillis a home unreachable this long has its keys moved to their next region
 * @param outageMillis a region outage lasts up to this
 * @param viewDelayMillis other regions learn a new home assignment up to this late (probes, handover state)
 * @param meanDataLossGapMillis on average one Redis data loss (FLUSHALL) every this
 * @param rules which protocol rules the homes follow; only variants switch one off
 */
record HomeMoveConfig(
        List<String> regions,
        int clients,
        int keys,
        long durationMillis,
        long maxThinkMillis,
        double casShare,
        double readShare,
        double deleteShare,
        long maxSkewMillis,
        long maxDeliveryDelayMillis,
        long maxRedeliveryMillis,
        double dropProbability,
        long maxLinkLatencyMillis,
        long clientTimeoutMillis,
        long maxAppendMillis,
        double slowAppendProbability,
        long slowAppendMillis,
        double appendFailureProbability,
        long meanMoveGapMillis,
        long failoverAfterMillis,
        long outageMillis,
        long viewDelayMillis,
        long meanDataLossGapMillis,
        long longTtlMillis,
        long shortTtlMillis,
        double shortTtlProbability,
        Rules rules) {

    /**
     * The protocol rules the model can switch off, one per variant.
     *
     * @param fencing a new home assignment carries the next epoch, and its executor takes no write of the moved keys
     *     until it has applied every log up to the ends they had when the assignment was made; a returning home gets
     *     its keys back only through a new assignment (the interim home drains first). Off: a new executor writes at
     *     once, and a returning home takes its keys back by itself, at its own idea of the next epoch, while the
     *     interim home goes on until it notices
     * @param replayAfterDataLoss after a FLUSHALL the replicator replays each source from {@link
     *     #replayRewindMillis()} back, and the region's homes take no write until the replay is applied
     * @param rewindMillis how far back that replay starts; the protocol's rule is {@link #replayRewindMillis()}
     * @param lockUntilAppendDecided a write keeps its key's lock until its log append is decided; off: the home lets
     *     the lock go when the request times out, while the append is still in flight
     * @param lockEveryWrite unconditional puts take the key's lock like every other write; off: they are executed at
     *     once, without it, as the gateway's {@code KeyCache.decided} runs them
     */
    record Rules(
            boolean fencing,
            boolean replayAfterDataLoss,
            long rewindMillis,
            boolean lockUntilAppendDecided,
            boolean lockEveryWrite) {

        Rules withFencing(boolean changed) {
            return new Rules(changed, replayAfterDataLoss, rewindMillis, lockUntilAppendDecided, lockEveryWrite);
        }

        Rules withReplayAfterDataLoss(boolean changed) {
            return new Rules(fencing, changed, rewindMillis, lockUntilAppendDecided, lockEveryWrite);
        }

        Rules withRewindMillis(long changed) {
            return new Rules(fencing, replayAfterDataLoss, changed, lockUntilAppendDecided, lockEveryWrite);
        }

        Rules withLockUntilAppendDecided(boolean changed) {
            return new Rules(fencing, replayAfterDataLoss, rewindMillis, changed, lockEveryWrite);
        }

        Rules withLockEveryWrite(boolean changed) {
            return new Rules(fencing, replayAfterDataLoss, rewindMillis, lockUntilAppendDecided, changed);
        }
    }

    static HomeMoveConfig defaults() {
        HomeMoveConfig base = new HomeMoveConfig(
                List.of("us-east", "eu-west", "ap-south"),
                8,
                6,
                20_000,
                100,
                0.3,
                0.25,
                0.1,
                150,
                300,
                1_200,
                0.05,
                40,
                400,
                60,
                0.1,
                900,
                0.05,
                2_500,
                600,
                1_500,
                150,
                6_000,
                600_000,
                3_000,
                0.2,
                null);
        return base.withRules(new Rules(true, true, base.replayRewindMillis(), true, true));
    }

    HomeMoveConfig withMaxSkewMillis(long changed) {
        return new HomeMoveConfig(
                regions,
                clients,
                keys,
                durationMillis,
                maxThinkMillis,
                casShare,
                readShare,
                deleteShare,
                changed,
                maxDeliveryDelayMillis,
                maxRedeliveryMillis,
                dropProbability,
                maxLinkLatencyMillis,
                clientTimeoutMillis,
                maxAppendMillis,
                slowAppendProbability,
                slowAppendMillis,
                appendFailureProbability,
                meanMoveGapMillis,
                failoverAfterMillis,
                outageMillis,
                viewDelayMillis,
                meanDataLossGapMillis,
                longTtlMillis,
                shortTtlMillis,
                shortTtlProbability,
                rules);
    }

    HomeMoveConfig withRules(Rules changed) {
        return new HomeMoveConfig(
                regions,
                clients,
                keys,
                durationMillis,
                maxThinkMillis,
                casShare,
                readShare,
                deleteShare,
                maxSkewMillis,
                maxDeliveryDelayMillis,
                maxRedeliveryMillis,
                dropProbability,
                maxLinkLatencyMillis,
                clientTimeoutMillis,
                maxAppendMillis,
                slowAppendProbability,
                slowAppendMillis,
                appendFailureProbability,
                meanMoveGapMillis,
                failoverAfterMillis,
                outageMillis,
                viewDelayMillis,
                meanDataLossGapMillis,
                longTtlMillis,
                shortTtlMillis,
                shortTtlProbability,
                changed);
    }

    /**
     * Longest time between an event's append and a delivery of it: a redelivery held up by the consumer's outage, then
     * delivered after the usual delay.
     */
    long maxDeliveryGapMillis() {
        return 2 * maxDeliveryDelayMillis + maxRedeliveryMillis + outageMillis;
    }

    /** How far apart two regions may judge the same instant: twice the skew, and the HLC ahead by a backward step. */
    long clockMarginMillis() {
        return 4 * maxSkewMillis + 2 * maxLinkLatencyMillis + 1;
    }

    /** The tombstone TTL, and the grace of expired values (production: equal): a second above the bound. */
    long tombstoneTtlMillis() {
        return maxDeliveryGapMillis() + clockMarginMillis() + 1_000;
    }

    /** The protocol's replay rewind after a data loss: at least the tombstone TTL plus the longest delay. */
    long replayRewindMillis() {
        return tombstoneTtlMillis() + maxDeliveryGapMillis() + clockMarginMillis();
    }
}

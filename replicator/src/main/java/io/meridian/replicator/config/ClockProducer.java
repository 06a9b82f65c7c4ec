package io.meridian.replicator.config;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.ScriptRunner;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one wall clock of a replicator process, and the one set of {@link CoherenceScripts} it writes this region's
 * Redis with. Nothing else in the replicator reads the system time: every class that needs the time takes this
 * {@link WallClock}, so that a test can drive it by hand.
 */
public class ClockProducer {

    /** The system clock. */
    @Produces
    @Singleton
    WallClock wallClock() {
        return WallClock.system();
    }

    /**
     * Scripts whose expired values stay in Redis as long as tombstones do ({@code meridian.tombstone-ttl}), so that no
     * late, older copy can replace them. This grace only matters to the scripts that write values ({@code setIfNewer},
     * {@code extendExpiry}), used by the event applier and the hot-key warmer; the purge sweeper, which used to build
     * its own scripts with no grace, only runs {@code deleteIfNotNewer} and {@code forgetPurge}, which neither write a
     * value nor read the grace, so one bean serves every user.
     */
    @Produces
    @Singleton
    CoherenceScripts coherenceScripts(Redis redis, WallClock clock, ReplicatorConfig config) {
        return new CoherenceScripts(
                new ScriptRunner(redis), clock, config.tombstoneTtl().toMillis());
    }
}

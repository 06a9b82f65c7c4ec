package io.meridian.gateway.config;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.ScriptRunner;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The gateway's one source of time and its one set of coherence scripts.
 *
 * <ul>
 *   <li>{@link WallClock}: every wall-clock read of the gateway goes through it, so that tests can drive time.
 *   <li>{@link HybridLogicalClock}: one per process, on that wall clock; every version it writes comes from here. It
 *       merges versions seen elsewhere only up to {@code meridian.clock.max-offset} ahead of its wall clock; refusals
 *       are counted in {@code meridian_clock_offset_refusals_total}.
 *   <li>{@link CoherenceScripts} on the region's Redis, with expired values keeping their version as long as tombstones
 *       do, so that no late older copy can replace them.
 * </ul>
 */
public class ClockProducer {

    @Produces
    @Singleton
    WallClock wallClock() {
        return WallClock.system();
    }

    @Produces
    @Singleton
    HybridLogicalClock clock(WallClock wall, MeridianConfig config, MeterRegistry metrics) {
        HybridLogicalClock clock =
                new HybridLogicalClock(wall, config.clock().maxOffset().toMillis());
        FunctionCounter.builder("meridian.clock.offset.refusals", clock, HybridLogicalClock::refusals)
                .description("Versions refused because they were further ahead of this clock than the maximum offset")
                .register(metrics);
        return clock;
    }

    @Produces
    @Singleton
    CoherenceScripts scripts(Redis redis, WallClock wall, MeridianConfig config) {
        return new CoherenceScripts(
                new ScriptRunner(redis), wall, config.tombstoneTtl().toMillis());
    }
}

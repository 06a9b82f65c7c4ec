package io.meridian.gateway.config;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * One hybrid logical clock per gateway process: every version it writes comes from here. It merges versions seen
 * elsewhere only up to {@code meridian.clock.max-offset} ahead of its wall clock; refusals are counted in {@code
 * meridian_clock_offset_refusals_total}.
 */
public class ClockProducer {

    @Produces
    @Singleton
    HybridLogicalClock clock(MeridianConfig config, MeterRegistry metrics) {
        HybridLogicalClock clock = new HybridLogicalClock(
                WallClock.system(), config.clock().maxOffset().toMillis());
        FunctionCounter.builder("meridian.clock.offset.refusals", clock, HybridLogicalClock::refusals)
                .description("Versions refused because they were further ahead of this clock than the maximum offset")
                .register(metrics);
        return clock;
    }
}

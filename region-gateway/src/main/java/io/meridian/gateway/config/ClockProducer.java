package io.meridian.gateway.config;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One hybrid logical clock per gateway process: every version it writes comes from here. */
public class ClockProducer {

    @Produces
    @Singleton
    HybridLogicalClock clock() {
        return new HybridLogicalClock(WallClock.system());
    }
}

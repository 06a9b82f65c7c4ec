package io.meridian.gateway;

import io.meridian.coherence.clock.WallClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's wall clock in its tests: the system's time plus how far a test moved it forward, so that a test lets a
 * value expire by moving the clock instead of sleeping. Every wall-clock read of the gateway goes through it (the
 * value expiries the scripts compute, the near cache, fill leases, the hybrid logical clock). It only moves forward,
 * as time does for the other tests sharing the application.
 */
@Alternative
@Priority(1)
@Singleton
public class ManualClock implements WallClock {

    private final AtomicLong ahead = new AtomicLong();

    @Override
    public long millis() {
        return System.currentTimeMillis() + ahead.get();
    }

    /** Moves the gateway's time forward, as if {@code by} had passed. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward: " + by);
        }
        ahead.addAndGet(by.toMillis());
    }
}

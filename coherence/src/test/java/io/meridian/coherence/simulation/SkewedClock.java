package io.meridian.coherence.simulation;

import io.meridian.coherence.clock.WallClock;
import java.util.Random;

/**
 * A region's wall clock: true time plus a skew that drifts, and now and then steps backwards or forwards (NTP
 * corrections, VM migration), but never leaves ±{@code maxSkewMillis}. That bound is what the checks' expiry margins
 * are computed from.
 */
final class SkewedClock implements WallClock {

    private final Scheduler time;
    private final long maxSkewMillis;
    private long skewMillis;

    SkewedClock(Scheduler time, long maxSkewMillis, Random random) {
        this.time = time;
        this.maxSkewMillis = maxSkewMillis;
        this.skewMillis = maxSkewMillis == 0 ? 0 : random.nextLong(-maxSkewMillis, maxSkewMillis + 1);
    }

    @Override
    public long millis() {
        return time.now() + skewMillis;
    }

    long skewMillis() {
        return skewMillis;
    }

    /** Drifts by up to 20 ms, or steps back (one time in ten) or forward (one in twenty) by 50-450 ms. */
    void perturb(Random random) {
        int roll = random.nextInt(20);
        long step = 50 + random.nextInt(400);
        long next;
        if (roll < 2) {
            next = skewMillis - step;
        } else if (roll == 2) {
            next = skewMillis + step;
        } else {
            next = skewMillis + random.nextInt(41) - 20;
        }
        skewMillis = Math.max(-maxSkewMillis, Math.min(maxSkewMillis, next));
    }
}

package io.meridian.gateway.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for the calls to one region or one origin (Nygard, "Release It!", ch. 5): after a run of consecutive failures
 * it opens and calls fail at once instead of waiting for timeouts; after a pause it lets calls through again, and the
 * first success closes it. Written here rather than taken from a library because breakers are created per region at
 * run time and wrap Mutiny pipelines, and the whole rule fits in a few lines.
 */
public final class RegionCircuitBreaker {

    private final int failureThreshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openedAt = new AtomicLong(-1);

    public RegionCircuitBreaker(int failureThreshold, long openForNanos, LongSupplier nanoTime) {
        this.failureThreshold = failureThreshold;
        this.openForNanos = openForNanos;
        this.nanoTime = nanoTime;
    }

    /** @return true when a call may be made now (closed, or open long enough to probe) */
    public boolean allows() {
        long opened = openedAt.get();
        return opened < 0 || nanoTime.getAsLong() - opened >= openForNanos;
    }

    public void succeeded() {
        consecutiveFailures.set(0);
        openedAt.set(-1);
    }

    public void failed() {
        if (consecutiveFailures.incrementAndGet() >= failureThreshold) {
            openedAt.set(nanoTime.getAsLong());
        }
    }

    boolean isOpen() {
        return !allows();
    }
}

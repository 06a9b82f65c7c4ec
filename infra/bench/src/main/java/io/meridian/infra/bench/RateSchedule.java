package io.meridian.infra.bench;

import java.time.Duration;

/**
 * When each write of an open-loop load is due: write {@code i} at {@code start + i / rate}, for {@code length}.
 * Exact integer arithmetic, so a run of any length sends exactly {@code ceil(length * rate)} writes, and the schedule
 * never drifts, whatever the timer that drives it.
 */
final class RateSchedule {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long perSecond;
    private final long lengthNanos;
    private final long total;

    public RateSchedule(long startNanos, int perSecond, Duration length) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate must be positive, got " + perSecond);
        }
        if (length.isNegative()) {
            throw new IllegalArgumentException("length must not be negative");
        }
        this.startNanos = startNanos;
        this.perSecond = perSecond;
        this.lengthNanos = length.toNanos();
        this.total = ceilDiv(length.toNanos() * perSecond, NANOS_PER_SECOND);
    }

    public long startNanos() {
        return startNanos;
    }

    /** How many writes the schedule holds. */
    public long total() {
        return total;
    }

    /** The time write {@code i} is due. */
    public long at(long i) {
        return startNanos + i * NANOS_PER_SECOND / perSecond;
    }

    /** How many writes are due by {@code nowNanos} (those with {@code at(i) <= nowNanos}), at most {@link #total()}. */
    public long dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long elapsed = nowNanos - startNanos;
        if (elapsed >= lengthNanos) {
            return total;
        }
        return Math.min(total, ceilDiv((elapsed + 1) * perSecond, NANOS_PER_SECOND));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

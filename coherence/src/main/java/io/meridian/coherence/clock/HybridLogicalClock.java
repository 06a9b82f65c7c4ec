package io.meridian.coherence.clock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks and Consistent Snapshots in Globally Distributed
 * Databases", 2014) packed in one {@code long}: the upper 48 bits hold wall milliseconds, the lower 16 bits a logical
 * counter. Timestamps it returns are strictly increasing even when the wall clock stalls or jumps backwards, and stay
 * close to wall time, so a version also tells roughly when a write happened (used for {@code Age} and lag).
 *
 * <p>Thread-safe and lock-free: one CAS loop per timestamp.
 */
public final class HybridLogicalClock {

    /** Bits of the logical counter. */
    public static final int LOGICAL_BITS = 16;

    /**
     * Largest wall-millisecond value whose packed timestamp stays non-negative (year 6429): 47 bits, because a
     * negative {@code long} would break the unsigned byte order that the Lua scripts compare.
     */
    public static final long MAX_PHYSICAL = (1L << 47) - 1;

    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private final WallClock wallClock;
    private final long maxOffsetMillis;
    private final AtomicLong last = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder refusals = new java.util.concurrent.atomic.LongAdder();

    /** A clock that accepts remote timestamps however far ahead they are. */
    public HybridLogicalClock(WallClock wallClock) {
        this(wallClock, Long.MAX_VALUE);
    }

    /**
     * @param maxOffsetMillis how far ahead of the local wall clock a remote timestamp may be. One event carrying a
     *     far-future version would otherwise drag this clock (and every later version) forward for good, as
     *     CockroachDB's maximum clock offset guards against.
     */
    public HybridLogicalClock(WallClock wallClock, long maxOffsetMillis) {
        if (maxOffsetMillis < 0) {
            throw new IllegalArgumentException("maxOffsetMillis must not be negative");
        }
        this.wallClock = wallClock;
        this.maxOffsetMillis = maxOffsetMillis;
    }

    /** @return the wall-millisecond part of a packed timestamp. */
    public static long physical(long hlc) {
        return hlc >>> LOGICAL_BITS;
    }

    /** @return the logical part of a packed timestamp. */
    public static int logical(long hlc) {
        return (int) (hlc & LOGICAL_MASK);
    }

    /** Packs a wall time and a logical counter; rejects values that do not fit. */
    public static long pack(long physicalMillis, int logical) {
        if (physicalMillis < 0 || physicalMillis > MAX_PHYSICAL) {
            throw new IllegalArgumentException("physical time out of 48-bit range: " + physicalMillis);
        }
        if (logical < 0 || logical > LOGICAL_MASK) {
            throw new IllegalArgumentException("logical counter out of 16-bit range: " + logical);
        }
        return (physicalMillis << LOGICAL_BITS) | logical;
    }

    /** @return a timestamp greater than every timestamp this clock returned or observed before. */
    public long now() {
        long wall = pack(wallClock.millis(), 0);
        while (true) {
            long previous = last.get();
            long next = Math.max(wall, successor(previous));
            if (last.compareAndSet(previous, next)) {
                return next;
            }
        }
    }

    /**
     * Merges a timestamp seen in a message from another node, so that every later {@link #now()} is greater than it
     * (causality across regions).
     *
     * @return the merged timestamp, greater than both the remote one and every earlier local one
     */
    public long observe(long remote) {
        if (remote < 0 || remote == Long.MAX_VALUE) {
            throw new IllegalArgumentException("timestamp out of range: " + remote);
        }
        long wallMillis = wallClock.millis();
        long ahead = physical(remote) - wallMillis;
        if (ahead > maxOffsetMillis) {
            refusals.increment();
            throw new TooFarAheadException(ahead, maxOffsetMillis);
        }
        long wall = pack(wallMillis, 0);
        while (true) {
            long previous = last.get();
            long next = Math.max(wall, successor(Math.max(previous, remote)));
            if (last.compareAndSet(previous, next)) {
                return next;
            }
        }
    }

    private static long successor(long timestamp) {
        if (timestamp == Long.MAX_VALUE) {
            throw new IllegalStateException("the clock reached the end of its range");
        }
        return timestamp + 1;
    }

    /** @return how many remote timestamps were refused for being further ahead than the maximum offset */
    public long refusals() {
        return refusals.sum();
    }

    /** @return how far ahead of the local wall clock a remote timestamp may be, in milliseconds */
    public long maxOffsetMillis() {
        return maxOffsetMillis;
    }

    /**
     * A remote timestamp further ahead of the local wall clock than the maximum offset: refused, never adopted (a
     * clock that jumped ahead, or a forged version, would otherwise drag every later version along).
     */
    public static final class TooFarAheadException extends IllegalArgumentException {
        private final long aheadMillis;

        TooFarAheadException(long aheadMillis, long maxOffsetMillis) {
            super("a version " + aheadMillis + " ms ahead of this node's clock was refused; at most " + maxOffsetMillis
                    + " ms (meridian.clock.max-offset) is accepted: check the clocks' synchronisation");
            this.aheadMillis = aheadMillis;
        }

        /** @return how far ahead of the local wall clock the refused timestamp was */
        public long aheadMillis() {
            return aheadMillis;
        }
    }

    /** @return the last timestamp handed out or observed, without advancing the clock. */
    public long peek() {
        return last.get();
    }
}

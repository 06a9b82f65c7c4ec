package io.meridian.gateway.degradation;

/**
 * The level measured load calls for, with the thresholds of the architecture, and hysteresis: a higher level is
 * taken once it has been measured {@code raiseAfter} times in a row, a lower one is approached one level at a time,
 * each step after {@code lowerAfter} evaluations in a row that all measured below the current level.
 */
final class LevelPolicy {

    /** Requests a window needs before its p99 and error rate count: a handful of slow requests is not a trend. */
    static final long MIN_REQUESTS = 20;

    private final int raiseAfter;
    private final int lowerAfter;
    private Level current = Level.NORMAL;
    private int above;
    private int below;

    public LevelPolicy(int raiseAfter, int lowerAfter) {
        if (raiseAfter < 1 || lowerAfter < 1) {
            throw new IllegalArgumentException("raiseAfter and lowerAfter must be at least 1");
        }
        this.raiseAfter = raiseAfter;
        this.lowerAfter = lowerAfter;
    }

    /** The level one window of measurements calls for on its own (thresholds of ARCHITECTURE.md). */
    public static Level measured(long requests, double p99Millis, double errorRate, double cpu) {
        boolean counts = requests >= MIN_REQUESTS;
        double p99 = counts ? p99Millis : 0;
        double errors = counts ? errorRate : 0;
        if (errors > 0.05 || p99 > 2_000) {
            return Level.SURVIVAL;
        }
        if (errors > 0.01 || p99 > 1_000) {
            return Level.CRITICAL;
        }
        if (p99 > 400 || cpu > 0.85) {
            return Level.WARNING;
        }
        if (p99 > 200 || cpu > 0.75) {
            return Level.ADVISORY;
        }
        return Level.NORMAL;
    }

    /** Takes one evaluation's measured level; returns the level to run at now. */
    public synchronized Level next(Level measured) {
        if (measured.compareTo(current) > 0) {
            below = 0;
            if (++above >= raiseAfter) {
                current = measured;
                above = 0;
            }
        } else if (measured.compareTo(current) < 0) {
            above = 0;
            if (++below >= lowerAfter) {
                current = Level.values()[current.ordinal() - 1];
                below = 0;
            }
        } else {
            above = 0;
            below = 0;
        }
        return current;
    }

    public synchronized Level current() {
        return current;
    }
}

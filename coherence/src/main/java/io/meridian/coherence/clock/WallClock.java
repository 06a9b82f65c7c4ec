package io.meridian.coherence.clock;

/**
 * Source of physical time in milliseconds since the epoch. Injected everywhere time matters so that tests drive it
 * by hand instead of sleeping.
 */
@FunctionalInterface
public interface WallClock {

    /** @return the current wall time in milliseconds since the epoch; may jump backwards (NTP, VM migration). */
    long millis();

    /** The system clock. */
    static WallClock system() {
        return System::currentTimeMillis;
    }
}

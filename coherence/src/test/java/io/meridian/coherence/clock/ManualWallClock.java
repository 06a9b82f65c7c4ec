package io.meridian.coherence.clock;

/** A wall clock that tests set by hand: it stalls, jumps forward and jumps backwards only when told to. */
final class ManualWallClock implements WallClock {

    private volatile long millis;

    ManualWallClock(long millis) {
        this.millis = millis;
    }

    void set(long millis) {
        this.millis = millis;
    }

    void advance(long deltaMillis) {
        this.millis += deltaMillis;
    }

    @Override
    public long millis() {
        return millis;
    }
}

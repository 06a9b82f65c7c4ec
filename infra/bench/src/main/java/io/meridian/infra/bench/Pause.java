package io.meridian.infra.bench;

import java.time.Duration;

/** A bench's waits between its phases: a sleep that turns an interrupt into a failure of the run. */
final class Pause {

    private Pause() {}

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

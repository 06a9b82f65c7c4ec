package io.meridian.gateway.degradation;

/** Where answered requests are reported, to measure the load ({@link Degradation}). */
@FunctionalInterface
public interface LoadRecorder {

    /** One answered request; {@code error}: the gateway failed it (a 5xx other than a refusal for load). */
    void record(long latencyNanos, boolean error);
}

package io.meridian.infra.bench;

import java.time.Duration;

/**
 * What one run of {@code bench replication} does. Every part is bounded in time (warm-up, measured window, each
 * request, each visibility check), so a run always ends by itself.
 *
 * @param rate writes per second sent to the home region's gateway, open loop: sends follow the clock, not the answers
 * @param warmup time the same workload runs before anything is measured (the JVMs' JIT settles in about 20 s of load)
 * @param duration the measured window
 * @param sampleEvery every n-th write is followed until it is visible in the other region
 * @param maxInFlight writes in flight at most; a send due while this many are unanswered is skipped and counted
 * @param valueBytes size of each written value
 * @param namespace the gateway namespace written to (placement {@code hash})
 * @param ttl the TTL sent with every PUT; longer than the run
 * @param visibilityTimeout how long a sampled write is polled for in the other region before it counts as a timeout
 */
public record ReplicationSettings(
        int rate,
        Duration warmup,
        Duration duration,
        int sampleEvery,
        int maxInFlight,
        int valueBytes,
        String namespace,
        Duration ttl,
        Duration visibilityTimeout) {

    /** The target of issue 4: at this write rate ... */
    public static final int TARGET_RATE = 5_000;

    /** ... ack-to-visible p50 at most this ... */
    public static final double TARGET_P50_MILLIS = 5;

    /** ... and p99 at most this. */
    public static final double TARGET_P99_MILLIS = 25;

    public ReplicationSettings {
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("rate must be 1..100000 writes/s, got " + rate);
        }
        if (warmup.isNegative() || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("warm-up must be >= 0 and duration > 0");
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sample must be >= 1 (every n-th write), got " + sampleEvery);
        }
        if (maxInFlight < 1 || maxInFlight > 4096) {
            throw new IllegalArgumentException("max in flight must be 1..4096, got " + maxInFlight);
        }
        if (valueBytes < 1 || valueBytes > 1 << 20) {
            throw new IllegalArgumentException("value size must be 1 B..1 MiB, got " + valueBytes);
        }
        if (visibilityTimeout.isZero() || visibilityTimeout.isNegative()) {
            throw new IllegalArgumentException("visibility timeout must be positive");
        }
    }

    /** The defaults of {@code ./meridian bench replication}. */
    public static ReplicationSettings defaults() {
        return new ReplicationSettings(
                TARGET_RATE,
                Duration.ofSeconds(15),
                Duration.ofSeconds(20),
                10,
                512,
                100,
                "tweets",
                Duration.ofMinutes(5),
                Duration.ofSeconds(5));
    }
}

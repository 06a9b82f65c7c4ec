package io.meridian.gateway.degradation;

import java.util.Arrays;

/**
 * Request latencies and outcomes of the last {@code buckets} seconds, in one-second buckets with a bounded sample of
 * latencies each: enough for a p99 and an error rate without a histogram library on the request path.
 */
final class LoadSignals {

    private static final int SAMPLES_PER_BUCKET = 2_048;

    private final Bucket[] buckets;

    private static final class Bucket {
        long second = -1;
        long requests;
        long errors;
        int sampled;
        final long[] latencies = new long[SAMPLES_PER_BUCKET];
    }

    public LoadSignals(int seconds) {
        buckets = new Bucket[seconds];
        for (int i = 0; i < seconds; i++) {
            buckets[i] = new Bucket();
        }
    }

    /** Records one answered request; {@code error}: a 5xx that is the gateway's own failure. */
    public synchronized void record(long nowMillis, long latencyNanos, boolean error) {
        long second = nowMillis / 1_000;
        Bucket bucket = buckets[(int) (second % buckets.length)];
        if (bucket.second != second) {
            bucket.second = second;
            bucket.requests = 0;
            bucket.errors = 0;
            bucket.sampled = 0;
        }
        bucket.requests++;
        if (error) {
            bucket.errors++;
        }
        if (bucket.sampled < SAMPLES_PER_BUCKET) {
            bucket.latencies[bucket.sampled++] = latencyNanos;
        } else {
            // Reservoir sampling keeps a uniform sample of a busy second.
            long slot = java.util.concurrent.ThreadLocalRandom.current().nextLong(bucket.requests);
            if (slot < SAMPLES_PER_BUCKET) {
                bucket.latencies[(int) slot] = latencyNanos;
            }
        }
    }

    /** What the window holds now. */
    public record Window(long requests, double p99Millis, double errorRate) {}

    public synchronized Window window(long nowMillis) {
        long newest = nowMillis / 1_000;
        long requests = 0;
        long errors = 0;
        int total = 0;
        for (Bucket bucket : buckets) {
            if (bucket.second > newest - buckets.length && bucket.second <= newest) {
                requests += bucket.requests;
                errors += bucket.errors;
                total += bucket.sampled;
            }
        }
        long[] all = new long[total];
        int at = 0;
        for (Bucket bucket : buckets) {
            if (bucket.second > newest - buckets.length && bucket.second <= newest) {
                System.arraycopy(bucket.latencies, 0, all, at, bucket.sampled);
                at += bucket.sampled;
            }
        }
        if (all.length == 0) {
            return new Window(0, 0, 0);
        }
        Arrays.sort(all);
        long p99 = all[Math.min(all.length - 1, (int) Math.ceil(all.length * 0.99) - 1)];
        return new Window(requests, p99 / 1e6, requests == 0 ? 0 : (double) errors / requests);
    }
}

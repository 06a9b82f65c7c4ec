package io.meridian.infra.bench;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one measured phase. Latencies are of successful requests only, in microseconds, measured from the
 * moment a request was issued (a closed loop issues the next one when the previous answered, so there is no
 * coordinated-omission gap to correct for within a connection).
 *
 * @param failures by cause: an HTTP status ({@code "503"}) or an exception class name
 */
public record PhaseResult(
        String name, long succeeded, Map<String, Long> failures, Duration elapsed, Histogram latencyMicros) {

    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful requests per second. */
    public double throughput() {
        return succeeded / (elapsed.toNanos() / 1e9);
    }

    public double p50Millis() {
        return percentileMillis(50);
    }

    public double p99Millis() {
        return percentileMillis(99);
    }

    public double maxMillis() {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }

    private double percentileMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0
                ? Double.NaN
                : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}

package io.meridian.infra.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one measured phase. Latencies are of successful requests only, in microseconds, measured from the
 * moment a request was issued (a closed loop issues the next one when the previous answered, so there is no
 * coordinated-omission gap to correct for within a connection).
 *
 * @param failures by cause: an HTTP status ({@code "503"}) or an exception class name
 */
record PhaseResult(String name, long succeeded, Map<String, Long> failures, Duration elapsed, Histogram latencyMicros) {

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

    /** One console line: {@code label} (padded to {@code width}), throughput, latencies, counts and failures. */
    public String consoleLine(String label, int width) {
        return String.format(
                Locale.ROOT,
                "%-" + width + "s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  max %8.2f ms  (%d requests, %d errors%s)",
                label,
                throughput(),
                p50Millis(),
                p99Millis(),
                maxMillis(),
                succeeded,
                failed(),
                failures.isEmpty() ? "" : " " + failures);
    }

    /** One row of the markdown table {@code | what | throughput | p50 | p99 | max | requests | errors |}. */
    public String markdownRow(String label) {
        return String.format(
                Locale.ROOT,
                "| %s | %.0f | %.2f | %.2f | %.2f | %d | %d |%n",
                label,
                throughput(),
                p50Millis(),
                p99Millis(),
                maxMillis(),
                succeeded,
                failed());
    }

    /** The header of the table {@link #markdownRow} rows belong to. */
    public static String markdownTableHeader() {
        return "| what | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) | requests | errors |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    }

    private double percentileMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0
                ? Double.NaN
                : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}

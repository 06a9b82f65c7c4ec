package io.meridian.infra.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the replication load measured in its window. Latencies are in microseconds.
 *
 * @param window the measured window's length
 * @param scheduled writes due in the window
 * @param sent writes due in the window that were sent
 * @param skipped writes due in the window that were not sent: the in-flight cap was reached
 * @param acked {@code 200} answers received during the window (whenever their write was sent): the achieved rate
 * @param writeFailures writes due in the window that failed, by cause (an HTTP status, or an exception class)
 * @param ackMicros from send to {@code 200} answer, of the writes due in the window
 * @param sendLagMicros how late each write of the window left compared with its due time (the generator's own delay)
 * @param visibleMicros from {@code 200} answer to the first poll of the other region's Redis that found the
 *     acknowledged version or a newer one; timed-out samples are recorded at the timeout
 * @param samples sampled writes followed to the end (visible or timed out)
 * @param timeouts samples not visible within the timeout
 * @param sampleErrors samples that could not be followed, by cause (e.g. the answer named another home region)
 * @param polls {@code GETRANGE} commands sent to the other region's Redis during the window
 * @param slowest the slowest samples, slowest first: when in the window they were acknowledged tells a periodic stall
 *     (a flush, a GC, a metadata refresh) from random ones
 */
record ReplicationFigures(
        Duration window,
        long scheduled,
        long sent,
        long skipped,
        long acked,
        Map<String, Long> writeFailures,
        Histogram ackMicros,
        Histogram sendLagMicros,
        Histogram visibleMicros,
        long samples,
        long timeouts,
        Map<String, Long> sampleErrors,
        long polls,
        List<SlowSample> slowest) {

    /**
     * One slow sample.
     *
     * @param millis ack to visible
     * @param atSeconds when it was acknowledged, in seconds since the window started (negative: during the warm-up)
     */
    public record SlowSample(double millis, double atSeconds) {}

    public ReplicationFigures {
        writeFailures = Map.copyOf(writeFailures);
        sampleErrors = Map.copyOf(sampleErrors);
        slowest = List.copyOf(slowest);
    }

    public long failed() {
        return writeFailures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Acknowledged writes per second during the window. */
    public double achievedRate() {
        return acked / (window.toNanos() / 1e9);
    }

    public static double millis(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    public static double maxMillis(Histogram micros) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0;
    }
}

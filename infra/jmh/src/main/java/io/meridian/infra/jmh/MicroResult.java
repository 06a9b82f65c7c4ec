package io.meridian.infra.jmh;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * One benchmark's figures: average time per operation with its 99.9% confidence half-width (NaN when too few
 * iterations ran to compute one), and bytes allocated per operation ({@code gc.alloc.rate.norm} of JMH's {@code gc}
 * profiler).
 *
 * @param benchmark the subject and operation, e.g. {@code VersionCodec.toHex}
 */
public record MicroResult(String benchmark, double nanosPerOp, double error, double bytesPerOp) {

    static final String ALLOCATION = "gc.alloc.rate.norm";

    /** Reads a JMH run of a benchmark in {@code AverageTime} mode, in nanoseconds, with the {@code gc} profiler. */
    static MicroResult of(RunResult run) {
        Result<?> time = run.getPrimaryResult();
        Result<?> allocation = run.getSecondaryResults().get(ALLOCATION);
        if (allocation == null) {
            throw new IllegalStateException(
                    "no " + ALLOCATION + " for " + run.getParams().getBenchmark() + ": the gc profiler did not run");
        }
        return new MicroResult(
                label(run.getParams().getBenchmark()), time.getScore(), time.getScoreError(), allocation.getScore());
    }

    /** {@code io.meridian.infra.jmh.VersionCodecBenchmark.toHex} reads {@code VersionCodec.toHex}. */
    static String label(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        String type = benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1, method);
        String subject = type.endsWith("Benchmark") ? type.substring(0, type.length() - "Benchmark".length()) : type;
        return subject + benchmark.substring(method);
    }
}

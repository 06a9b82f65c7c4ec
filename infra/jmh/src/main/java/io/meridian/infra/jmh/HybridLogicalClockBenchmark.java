package io.meridian.infra.jmh;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The hybrid logical clock on the system wall clock: {@code now()} mints every write's version, {@code observe()}
 * merges the version of every replicated event. One clock is shared by the gateway's threads, so the benchmark shares
 * it too ({@link Scope#Benchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HybridLogicalClockBenchmark {

    private final HybridLogicalClock clock = started();

    @Benchmark
    public long now() {
        return clock.now();
    }

    /** A remote timestamp as a replicated event brings it: a little behind this clock. */
    @Benchmark
    public long observe() {
        return clock.observe(clock.peek() - 1);
    }

    /** A clock that has ticked once, so that {@link #observe()}'s remote timestamp is never negative. */
    private static HybridLogicalClock started() {
        HybridLogicalClock clock = new HybridLogicalClock(WallClock.system());
        clock.now();
        return clock;
    }
}

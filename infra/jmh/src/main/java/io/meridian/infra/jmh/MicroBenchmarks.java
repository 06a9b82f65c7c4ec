package io.meridian.infra.jmh;

import io.meridian.gateway.hotkeys.TopKeysBenchmark;
import io.meridian.gateway.nearcache.NearCacheBenchmark;
import io.meridian.infra.bench.BenchmarkLog;
import io.meridian.infra.cluster.MachineDescription;
import io.meridian.infra.servers.RepositoryRoot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./meridian bench micro [--quick] [--record]}: runs every microbenchmark of the hot code through JMH with its
 * {@code gc} profiler (time and bytes allocated per operation), then the near cache's memory check, prints the table
 * and, with {@code --record}, appends it to {@code docs/benchmarks.md}.
 *
 * <p>The defaults suit a small, shared machine: one fork per benchmark, 3 × 1 s of warm-up, 5 × 1 s measured, about
 * two minutes in all. {@code --quick} only checks that everything runs; its figures are not worth recording. JMH's
 * forks and the memory check's JVM run with this JVM's class path.
 */
public final class MicroBenchmarks {

    /** Every benchmark, in the order the table lists them. */
    static final List<Class<?>> BENCHMARKS = List.of(
            VersionCodecBenchmark.class,
            SessionTokenBenchmark.class,
            HybridLogicalClockBenchmark.class,
            StoredValueBenchmark.class,
            NearCacheBenchmark.class,
            TopKeysBenchmark.class);

    private static final String COMMAND = "./meridian bench micro";

    /** How long a run warms up and measures. */
    private record Timing(int warmups, int measurements, TimeValue iteration) {

        static final Timing FULL = new Timing(3, 5, TimeValue.seconds(1));
        static final Timing QUICK = new Timing(1, 2, TimeValue.milliseconds(200));

        String describe() {
            return "JMH, 1 fork per benchmark (" + NearCacheMemory.HEAP + "), " + warmups + " × " + iteration
                    + " warm-up, " + measurements + " × " + iteration + " measured, average time, gc profiler";
        }
    }

    private MicroBenchmarks() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        boolean record = false;
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "--record" -> record = true;
                default -> {
                    System.err.println("usage: " + COMMAND + " [--quick] [--record]");
                    System.exit(2);
                }
            }
        }
        Timing timing = quick ? Timing.QUICK : Timing.FULL;
        List<MicroResult> results = run(timing);
        MicroRun run = new MicroRun(timing.describe(), results, NearCacheMemory.inChildJvm());
        System.out.println();
        System.out.println(run.console());
        if (record) {
            String command = COMMAND + (args.length == 0 ? "" : " " + String.join(" ", args));
            BenchmarkLog.append(
                    RepositoryRoot.require().resolve("docs/benchmarks.md"),
                    run.markdownSection(MachineDescription.current(), command));
            System.out.println("Appended to docs/benchmarks.md.");
        }
    }

    private static List<MicroResult> run(Timing timing) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .jvmArgs(NearCacheMemory.JVM_OPTIONS.toArray(String[]::new))
                .warmupIterations(timing.warmups())
                .warmupTime(timing.iteration())
                .measurementIterations(timing.measurements())
                .measurementTime(timing.iteration())
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
        for (Class<?> benchmark : BENCHMARKS) {
            options.include("^" + Pattern.quote(benchmark.getName()) + "\\.");
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        List<MicroResult> results = new ArrayList<>();
        for (Class<?> benchmark : BENCHMARKS) {
            runs.stream()
                    .filter(run -> run.getParams().getBenchmark().startsWith(benchmark.getName() + "."))
                    .map(MicroResult::of)
                    .forEach(results::add);
        }
        return results;
    }
}

package io.meridian.infra.jmh;

import io.meridian.infra.bench.BenchmarkLog;
import io.meridian.infra.cluster.MachineDescription;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code bench micro} run, and how they read on the console and in {@code docs/benchmarks.md}: the
 * setup, a table of time and allocations per operation, and the near cache's memory check. It lives in the bench
 * package, beside the figures of the other {@code bench} runs, to open its section with the same heading.
 *
 * @param setup forks, warm-up and measurement, as run
 */
public record MicroRun(String setup, List<MicroResult> results, NearCacheFootprint footprint) {

    public MicroRun {
        results = List.copyOf(results);
    }

    /** @return a markdown table, one row per benchmark in the order run */
    public String table() {
        StringBuilder table = new StringBuilder("| Benchmark | ns/op | ± error | B/op (allocated) |\n")
                .append("|---|---:|---:|---:|\n");
        for (MicroResult result : results) {
            table.append("| ")
                    .append(result.benchmark())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", result.nanosPerOp()))
                    .append(" | ")
                    .append(Double.isNaN(result.error()) ? "n/a" : String.format(Locale.ROOT, "%.1f", result.error()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", result.bytesPerOp()))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** @return what the console shows: the setup, the table and the memory check */
    public String console() {
        return "Setup: " + setup + "\n\n" + table() + "\n" + footprint.describe() + "\n";
    }

    /** @return a section of {@code docs/benchmarks.md}: command, machine, date, setup, the table, the memory check */
    public String markdownSection(MachineDescription machine, String command) {
        return BenchmarkLog.sectionHeader(machine, "micro", command)
                + "- Setup: " + setup + "\n\n"
                + table()
                + "\n" + footprint.describe() + "\n";
    }
}

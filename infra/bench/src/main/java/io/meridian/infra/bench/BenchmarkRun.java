package io.meridian.infra.bench;

import io.meridian.infra.bench.RedisBenchmarkReference.Figure;
import io.meridian.infra.bench.RedisBenchmarkReference.Figures;
import io.meridian.infra.cluster.MachineDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The figures of one {@code bench http} run, and how they read on the console and in {@code docs/benchmarks.md}. */
public record BenchmarkRun(
        String region,
        String gatewayUrl,
        LoadSettings settings,
        PhaseResult puts,
        PhaseResult gets,
        Optional<Figures> reference) {

    /** Lines for the console. */
    public List<String> consoleLines(MachineDescription machine, String command) {
        List<String> lines = new ArrayList<>();
        lines.add("bench http: " + setup());
        lines.add("machine: " + machine);
        for (PhaseResult phase : List.of(puts, gets)) {
            lines.add(phase.consoleLine(phase.name(), 4));
        }
        reference.ifPresentOrElse(
                figures -> {
                    lines.add("redis-benchmark " + figures.command() + ": " + referenceSummary(figures));
                    lines.add("gateway / redis: " + ratios(figures));
                },
                () -> lines.add("redis-benchmark: not installed, no reference figure"));
        lines.add("command: " + command);
        return lines;
    }

    /** A section of {@code docs/benchmarks.md}: command, machine, date, setup and a table. */
    public String markdownSection(MachineDescription machine, String command) {
        StringBuilder md = new StringBuilder();
        md.append(BenchmarkLog.sectionHeader(machine, "http", command));
        md.append("- Setup: ").append(setup()).append("\n\n");
        md.append(PhaseResult.markdownTableHeader());
        for (PhaseResult phase : List.of(puts, gets)) {
            md.append(phase.markdownRow("gateway " + phase.name()));
        }
        reference.ifPresent(figures -> figures.byCommand()
                .forEach((name, figure) -> md.append(String.format(
                        Locale.ROOT,
                        "| redis-benchmark %s (same Redis) | %.0f | %s | - | - | %d | - |%n",
                        name,
                        figure.throughput(),
                        Double.isNaN(figure.p50Millis()) ? "-" : String.format(Locale.ROOT, "%.2f", figure.p50Millis()),
                        200_000))));
        md.append('\n');
        md.append(reference
                        .map(figures -> "Gateway / Redis: " + ratios(figures) + ". Reference: `redis-benchmark "
                                + figures.command() + "`.")
                        .orElse("No Redis reference: `redis-benchmark` was not installed."))
                .append('\n');
        return md.toString();
    }

    private String setup() {
        return String.format(
                Locale.ROOT,
                "region %s (%s), %d connections, %d keys of %d B in namespace %s, ttl %d s, warm-up %d s, %d s per phase",
                region,
                gatewayUrl,
                settings.concurrency(),
                settings.keys(),
                settings.valueBytes(),
                settings.namespace(),
                settings.ttl().toSeconds(),
                settings.warmup().toSeconds(),
                settings.phase().toSeconds());
    }

    private static String referenceSummary(Figures figures) {
        List<String> parts = new ArrayList<>();
        figures.byCommand()
                .forEach((name, figure) -> parts.add(String.format(
                        Locale.ROOT, "%s %.0f req/s (p50 %.2f ms)", name, figure.throughput(), figure.p50Millis())));
        return String.join(", ", parts);
    }

    private String ratios(Figures figures) {
        return ratio("PUT", puts, figures.byCommand().get("SET")) + ", "
                + ratio("GET", gets, figures.byCommand().get("GET"));
    }

    private static String ratio(String name, PhaseResult phase, Figure redis) {
        return redis == null
                ? name + " -"
                : String.format(Locale.ROOT, "%s %.2f", name, phase.throughput() / redis.throughput());
    }
}

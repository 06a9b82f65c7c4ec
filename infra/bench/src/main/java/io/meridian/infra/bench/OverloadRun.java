package io.meridian.infra.bench;

import io.meridian.infra.cluster.MachineDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code bench overload} run and its verdict against the overload targets: offered writes at a
 * multiple of the rate one gateway sustains, it keeps acknowledging at least {@link #MIN_GOODPUT} of that rate, the
 * writes it admits keep a p99 within {@link #MAX_P99_GROWTH} of the unloaded one, no write refused with {@code 503
 * overloaded} (or shed by the gateway's concurrency limit) reaches the event log, and every acknowledged write does.
 *
 * @param peak the closed-loop phase that sets the sustainable rate
 * @param unloaded the open-loop phase at a fraction of that rate: the unloaded latency
 * @param overload the open-loop phase at {@code multiple} times that rate
 * @param refusedInLog writes refused for load whose key is in the event log
 * @param acknowledgedMissing acknowledged writes whose key is not in the event log
 * @param levelAfter the gateway's degradation level right after the overload
 */
public record OverloadRun(
        String region,
        String setup,
        double multiple,
        Peak peak,
        Phase unloaded,
        Phase overload,
        long refusedInLog,
        long acknowledgedMissing,
        String levelAfter) {

    /** Acknowledged writes per second under overload, as a share of the sustainable rate, at least. */
    static final double MIN_GOODPUT = 0.8;

    /** The p99 of admitted writes under overload, as a multiple of the unloaded p99, at most. */
    static final double MAX_P99_GROWTH = 3.0;

    /** The closed-loop phase: acknowledged writes per second and their p99. */
    public record Peak(int concurrency, double perSecond, double p99Millis, long errors) {}

    /** An open-loop phase's figures. */
    public record Phase(
            int offeredPerSecond,
            long offered,
            double acknowledgedPerSecond,
            double p50Millis,
            double p99Millis,
            long refused,
            long skipped,
            Map<String, Long> failures) {

        static Phase of(int rate, OpenLoopWrites.Result result) {
            return new Phase(
                    rate,
                    result.offered(),
                    result.acknowledgedPerSecond(),
                    result.p50Millis(),
                    result.p99Millis(),
                    result.refusedIndices().size(),
                    result.skipped(),
                    result.failures());
        }
    }

    /** One target: what it asks, what was measured, and whether it holds. */
    public record Check(String target, String measured, boolean holds) {}

    public double goodput() {
        return overload.acknowledgedPerSecond() / peak.perSecond();
    }

    public double p99Growth() {
        return overload.p99Millis() / unloaded.p99Millis();
    }

    public List<Check> checks() {
        return List.of(
                new Check(
                        "acknowledged writes/s under overload ≥ " + MIN_GOODPUT + "× the sustainable rate",
                        format(
                                "%.0f/s of %.0f/s = %.2f×",
                                overload.acknowledgedPerSecond(), peak.perSecond(), goodput()),
                        goodput() >= MIN_GOODPUT),
                new Check(
                        "p99 of admitted writes ≤ " + MAX_P99_GROWTH + "× the unloaded p99",
                        format("%.2f ms vs %.2f ms = %.2f×", overload.p99Millis(), unloaded.p99Millis(), p99Growth()),
                        p99Growth() <= MAX_P99_GROWTH),
                new Check(
                        "no write refused for load (503 overloaded, shed) reaches the log",
                        refusedInLog + " of " + (overload.refused() + unloaded.refused())
                                + " refused writes in the log",
                        refusedInLog == 0),
                new Check(
                        "every acknowledged write is in the log",
                        acknowledgedMissing + " acknowledged writes missing",
                        acknowledgedMissing == 0));
    }

    /** Whether the log checks hold: these are correctness, not performance, and a run that breaks them fails. */
    public boolean logChecksHold() {
        return refusedInLog == 0 && acknowledgedMissing == 0;
    }

    public List<String> consoleLines(MachineDescription machine, String command) {
        List<String> lines = new ArrayList<>();
        lines.add("bench overload: " + setup);
        lines.add("machine: " + machine);
        lines.addAll(rows().stream().map(row -> String.join("  ", row)).toList());
        lines.add("degradation level after the overload: " + levelAfter);
        checks().forEach(check ->
                lines.add((check.holds() ? "HOLDS   " : "MISSED  ") + check.target() + ": " + check.measured()));
        lines.add("command: " + command);
        return lines;
    }

    public String markdownSection(MachineDescription machine, String command) {
        StringBuilder md = new StringBuilder(BenchmarkLog.sectionHeader(machine, "overload", command));
        md.append("- Setup: ").append(setup).append("\n\n");
        md.append("| phase | offered (writes/s) | acknowledged (writes/s) | p50 (ms) | p99 (ms) | refused for load |"
                + " skipped | other failures |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        rows().forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
        md.append("\nThe gateway's degradation level right after the overload: ")
                .append(levelAfter)
                .append(".\n");
        md.append("\n| target | measured | holds |\n| --- | --- | --- |\n");
        checks().forEach(check -> md.append("| ")
                .append(check.target())
                .append(" | ")
                .append(check.measured())
                .append(" | ")
                .append(check.holds() ? "yes" : "**no**")
                .append(" |\n"));
        return md.toString();
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "closed loop, " + peak.concurrency() + " connections (sustainable rate)",
                "-",
                format("%.0f", peak.perSecond()),
                "-",
                format("%.2f", peak.p99Millis()),
                "-",
                "-",
                peak.errors() + " errors"));
        rows.add(phaseRow("open loop, unloaded", unloaded));
        rows.add(phaseRow(format("open loop, %.0f× the sustainable rate", multiple), overload));
        return rows;
    }

    private static List<String> phaseRow(String name, Phase phase) {
        return List.of(
                name,
                Integer.toString(phase.offeredPerSecond()),
                format("%.0f", phase.acknowledgedPerSecond()),
                format("%.2f", phase.p50Millis()),
                format("%.2f", phase.p99Millis()),
                Long.toString(phase.refused()),
                Long.toString(phase.skipped()),
                phase.failures().isEmpty() ? "none" : phase.failures().toString());
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}

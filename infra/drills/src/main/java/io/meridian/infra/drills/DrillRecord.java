package io.meridian.infra.drills;

import io.meridian.infra.cluster.MachineDescription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The drill record in {@code docs/runbook.md}: {@code ./meridian drill <name> --record} appends one row per run to the
 * table of its "Drill record" section (creating the section or the table when missing), the way {@code bench --record}
 * appends to {@code docs/benchmarks.md}. Rows are only ever appended, and each names the command, commit and machine,
 * so no figure in the table is typed by hand.
 */
final class DrillRecord {

    static final String SECTION = "## Drill record";

    static final String TABLE_HEADER = "| date | command | commit | machine | seed | duration (s) | requests"
            + " | acked writes | indeterminate writes | lost writes | violations | detect (s) | recover (s)"
            + " | converge (s) | verdict |";

    private static final String TABLE_SEPARATOR =
            "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";

    private static final String TABLE_INTRO = "Runs recorded with `./meridian drill <name> --record`, one row each,"
            + " newest last (the figures are those of the run's last line, `DRILL <name> PASS|FAIL ...`).";

    private DrillRecord() {}

    /**
     * A run's verdict and the figures of its last line.
     *
     * @param detectSeconds time to detect, {@code -} when the fault was not seen
     * @param recoverSeconds time to recover, {@code -} when not every region recovered
     */
    record Verdict(
            String drill,
            long seed,
            boolean passed,
            long requests,
            long ackedWrites,
            int violations,
            String detectSeconds,
            String recoverSeconds,
            String convergeSeconds,
            long lostWrites,
            long indeterminateWrites) {

        /** {@code DRILL <name> PASS|FAIL seed=... }: the last line a drill prints. */
        String line() {
            return "DRILL " + drill + " " + (passed ? "PASS" : "FAIL") + " seed=" + seed + " requests=" + requests
                    + " acked_writes=" + ackedWrites + " violations=" + violations + " detect_s=" + detectSeconds
                    + " recover_s=" + recoverSeconds + " converge_s=" + convergeSeconds + " lost_writes=" + lostWrites
                    + " indeterminate_writes=" + indeterminateWrites;
        }
    }

    /**
     * One row of the drill record.
     *
     * @param commit the checkout's commit, {@code -dirty} when it had uncommitted changes
     */
    record Row(String date, String command, String commit, String machine, int durationSeconds, Verdict verdict) {

        /** The machine this JVM runs on, as {@code bench --record} names it. */
        static String machine(MachineDescription machine) {
            return machine.cores() + " cores, " + machine.os() + ", " + machine.java();
        }

        String markdown() {
            List<String> cells = List.of(
                    date,
                    "`" + command + "`",
                    "`" + commit + "`",
                    machine,
                    Long.toString(verdict.seed()),
                    Integer.toString(durationSeconds),
                    Long.toString(verdict.requests()),
                    Long.toString(verdict.ackedWrites()),
                    Long.toString(verdict.indeterminateWrites()),
                    Long.toString(verdict.lostWrites()),
                    Integer.toString(verdict.violations()),
                    verdict.detectSeconds(),
                    verdict.recoverSeconds(),
                    verdict.convergeSeconds(),
                    verdict.passed() ? "PASS" : "FAIL");
            return "| "
                    + String.join(
                            " | ",
                            cells.stream().map(cell -> cell.replace("|", "\\|")).toList()) + " |";
        }
    }

    /** Appends {@code row} to the drill record's table in {@code runbook}, creating what is missing. */
    static void append(Path runbook, Row row) {
        try {
            List<String> lines = Files.exists(runbook)
                    ? new ArrayList<>(Files.readAllLines(runbook, StandardCharsets.UTF_8))
                    : new ArrayList<>(List.of("# Runbook"));
            Files.createDirectories(runbook.toAbsolutePath().getParent());
            Files.writeString(runbook, String.join("\n", withRow(lines, row)) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the drill record to " + runbook, e);
        }
    }

    /** {@code lines} with {@code row} after the last row of the section's table (the table made when missing). */
    static List<String> withRow(List<String> lines, Row row) {
        List<String> out = new ArrayList<>(lines);
        int section = out.indexOf(SECTION);
        if (section < 0) {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.add(SECTION);
            section = out.size() - 1;
        }
        int end = section + 1;
        while (end < out.size()
                && !out.get(end).startsWith("## ")
                && !out.get(end).startsWith("# ")) {
            end++;
        }
        int header = out.subList(section, end).indexOf(TABLE_HEADER);
        if (header >= 0) {
            int after = section + header + 1;
            while (after < end && out.get(after).startsWith("|")) {
                after++;
            }
            out.add(after, row.markdown());
            return out;
        }
        int at = end;
        while (at - 1 > section && out.get(at - 1).isBlank()) {
            at--;
        }
        List<String> table =
                new ArrayList<>(List.of("", TABLE_INTRO, "", TABLE_HEADER, TABLE_SEPARATOR, row.markdown()));
        if (at < out.size() && !out.get(at).isBlank()) {
            table.add("");
        }
        out.addAll(at, table);
        return out;
    }

    /**
     * The checkout's short commit, with {@code -dirty} when files other than the runbook have uncommitted changes
     * ({@code unknown} outside a git checkout).
     */
    static String commit(Path root) {
        String commit = git(root, "rev-parse", "--short", "HEAD");
        if (commit == null || commit.isBlank()) {
            return "unknown";
        }
        String changes =
                git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)docs/runbook.md");
        return commit.strip() + (changes != null && !changes.isBlank() ? "-dirty" : "");
    }

    private static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return output;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

package io.meridian.infra.bench;

import io.meridian.infra.cluster.MachineDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code bench peers} measured: per value size, every phase with its throughput, latency percentiles, errors and
 * the CPU time of every server process per request; the ratios against Webdis and the CPU budgets, each with its target
 * and whether it holds.
 */
public record PeersRun(
        PeersBenchmark.Settings settings,
        String home,
        String remote,
        String clusterState,
        Idle idle,
        List<SizeRun> sizes) {

    /**
     * The cluster at rest before the load ({@code cores}: CPU per process over the idle window, in cores) and each
     * process's resident memory at rest and right after the last phase, in KiB.
     */
    public record Idle(Map<String, Double> cores, Map<String, Long> rssIdleKib, Map<String, Long> rssLoadedKib) {

        static final Idle NONE = new Idle(Map.of(), Map.of(), Map.of());

        double total() {
            return cores.entrySet().stream()
                    .filter(e -> !e.getKey().equals("launcher") && !e.getKey().equals(CpuReport.BENCH))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
        }
    }

    /** One measured phase; {@code cpuMillis} is CPU milliseconds per process over the phase. */
    public record Phase(String path, String peer, Wrk.Result result, Map<String, Double> cpuMillis) {

        /** @return CPU microseconds the process used per request (CPU milliseconds per 1,000 requests) */
        double cpuMicrosPerRequest(String process) {
            Double millis = cpuMillis.get(process);
            return millis == null || result.requests() == 0 ? Double.NaN : millis * 1000 / result.requests();
        }
    }

    /** The phases of one value size, and {@code redis-benchmark}'s figures on the same Redis. */
    public record SizeRun(int valueBytes, List<Phase> phases, Optional<RedisBenchmarkReference.Figures> reference) {

        Phase phase(String peer, String pathStart) {
            return phases.stream()
                    .filter(p -> p.peer().equals(peer) && p.path().startsWith(pathStart))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no phase " + peer + " " + pathStart));
        }
    }

    /** A target of the tables: what was measured, the bound, and whether it holds. */
    record Check(String what, double measured, String bound, boolean holds) {}

    List<Check> checks(SizeRun size) {
        String gateway = home + " gateway";
        Phase getRandom = size.phase("gateway", "GET, random keys, through Redis");
        Phase getHot = size.phase("gateway", "GET, one hot key");
        Phase webdisGet = size.phase("webdis", "GET, random keys");
        Phase webdisHot = size.phase("webdis", "GET, one hot key");
        Phase put = size.phase("gateway", "PUT, keys homed here");
        Phase forwarded = size.phase("gateway", "PUT, forwarded");
        Phase webdisSet = size.phase("webdis", "SET");
        List<Check> checks = new ArrayList<>();
        double getRatio = getRandom.result().perSecond() / webdisGet.result().perSecond();
        checks.add(new Check("GET random keys, gateway / Webdis (req/s)", getRatio, "≥ 1.0", getRatio >= 1.0));
        double p99Ratio =
                (double) getRandom.result().p99Micros() / webdisGet.result().p99Micros();
        checks.add(new Check("GET random keys, p99 gateway / Webdis", p99Ratio, "≤ 1.0", p99Ratio <= 1.0));
        double hotRatio = getHot.result().perSecond() / webdisHot.result().perSecond();
        checks.add(new Check("GET one hot key, gateway (near cache) / Webdis", hotRatio, "≥ 1.5", hotRatio >= 1.5));
        double putRatio = put.result().perSecond() / webdisSet.result().perSecond();
        checks.add(new Check("PUT homed here, gateway / Webdis SET", putRatio, "≥ 0.3", putRatio >= 0.3));
        double forwardedCpu = forwarded.cpuMicrosPerRequest(gateway) / put.cpuMicrosPerRequest(gateway);
        checks.add(new Check(
                "forwarded PUT, forwarding gateway's CPU / a local PUT's", forwardedCpu, "≤ 1.5", forwardedCpu <= 1.5));
        double getCpu = getRandom.cpuMicrosPerRequest(gateway);
        checks.add(new Check("CPU µs, gateway GET through Redis", getCpu, "≤ 40", getCpu <= 40));
        double hotCpu = getHot.cpuMicrosPerRequest(gateway);
        checks.add(new Check("CPU µs, near-cache GET", hotCpu, "≤ 20", hotCpu <= 20));
        double putCpu = put.cpuMicrosPerRequest(gateway);
        checks.add(new Check("CPU µs, home PUT, gateway only", putCpu, "≤ 120", putCpu <= 120));
        for (String process : put.cpuMillis().keySet()) {
            if (process.endsWith(" replicator")) {
                double applied = put.cpuMicrosPerRequest(process);
                checks.add(new Check("CPU µs per applied event, " + process, applied, "≤ 60", applied <= 60));
            }
        }
        return checks;
    }

    public List<String> consoleLines(MachineDescription machine, String command) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "bench peers: " + machine.cores() + " cores, " + clusterState + "; wrk -t1 -c" + settings.concurrency()
                        + ", " + settings.keys() + " keys, " + settings.phase().toSeconds() + " s per phase");
        if (!idle.cores().isEmpty()) {
            lines.add(String.format(Locale.ROOT, "idle cluster: %.3f cores in all", idle.total()));
            idleRows("  %-20s idle %.3f cores  RSS idle %d MiB, after load %d MiB")
                    .forEach(lines::add);
        }
        for (SizeRun size : sizes) {
            lines.add("");
            lines.add(size.valueBytes() + " B values");
            lines.addAll(rows(
                    size,
                    "  %-7s %-40s %9.0f req/s  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  errors %d  CPU µs/req: %s",
                    "  redis-benchmark %-32s %9.0f req/s  p50 %6.2f ms",
                    "  %-58s %8.2f  target %-6s %s",
                    "holds",
                    "MISSED"));
        }
        return lines;
    }

    public String markdownSection(MachineDescription machine, String command) {
        StringBuilder md = new StringBuilder(BenchmarkLog.sectionHeader(machine, "peers", command));
        md.append("- Setup: ")
                .append(clusterState)
                .append("; gateway of ")
                .append(home)
                .append(" (forwarded PUTs go to ")
                .append(remote)
                .append("), Webdis in front of the same Redis with one thread per core; `wrk -t1 -c")
                .append(settings.concurrency())
                .append("` for every HTTP peer; ")
                .append(settings.keys())
                .append(" keys, all present; ")
                .append(settings.warmup().toSeconds())
                .append(" s warm-up, then per phase ")
                .append(settings.phaseWarmup().toSeconds())
                .append(" s unmeasured and ")
                .append(settings.phase().toSeconds())
                .append(" s measured. CPU is each server process's CPU time over the measured phase, from /proc,"
                        + " per request (µs per request = CPU ms per 1,000 requests).\n");
        if (!idle.cores().isEmpty()) {
            md.append(String.format(
                    Locale.ROOT,
                    "%n### The cluster at rest, and memory%n%nIdle for the window before any load: %.3f cores in all"
                            + " (two regions; the idle target, 0.15 cores, is for three, with 0.03 per replicator)."
                            + "%n%n| process | idle CPU (cores) | RSS idle (MiB) | RSS after the load (MiB) |%n"
                            + "| --- | ---: | ---: | ---: |%n",
                    idle.total()));
            idleRows("| %s | %.3f | %d | %d |").forEach(row -> md.append(row).append('\n'));
        }
        for (SizeRun size : sizes) {
            md.append("\n### ").append(size.valueBytes()).append(" B values\n\n");
            md.append("| peer | path | req/s | p50 ms | p99 ms | p99.9 ms | errors | CPU µs per request |\n");
            md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
            List<String> rows = rows(
                    size,
                    "| %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %s |",
                    "| redis-benchmark | %s | %.0f | %.2f | - | - | - | - |",
                    "| %s | %.2f | %s | %s |",
                    "yes",
                    "**no**");
            int phaseRows = size.phases().size()
                    + size.reference().map(r -> r.byCommand().size()).orElse(0);
            rows.subList(0, phaseRows).forEach(row -> md.append(row).append('\n'));
            md.append("\n| target | measured | bound | holds |\n| --- | ---: | --- | --- |\n");
            rows.subList(phaseRows, rows.size()).forEach(row -> md.append(row).append('\n'));
        }
        return md.toString();
    }

    /**
     * One value size's rows in the given formats: a row per phase, a row per {@code redis-benchmark} command, then a
     * row per target, marked {@code holds} or {@code missed}.
     */
    private List<String> rows(
            SizeRun size, String phaseFormat, String referenceFormat, String checkFormat, String holds, String missed) {
        List<String> rows = new ArrayList<>();
        for (Phase phase : size.phases()) {
            rows.add(String.format(
                    Locale.ROOT,
                    phaseFormat,
                    phase.peer(),
                    phase.path(),
                    phase.result().perSecond(),
                    phase.result().p50Micros() / 1000.0,
                    phase.result().p99Micros() / 1000.0,
                    phase.result().p999Micros() / 1000.0,
                    phase.result().errors(),
                    cpu(phase)));
        }
        size.reference()
                .ifPresent(reference -> reference
                        .byCommand()
                        .forEach((cmd, figure) -> rows.add(String.format(
                                Locale.ROOT, referenceFormat, cmd, figure.throughput(), figure.p50Millis()))));
        for (Check check : checks(size)) {
            rows.add(String.format(
                    Locale.ROOT,
                    checkFormat,
                    check.what(),
                    check.measured(),
                    check.bound(),
                    check.holds() ? holds : missed));
        }
        return rows;
    }

    /** A row per process of the idle window, in {@code format} (name, cores, RSS idle MiB, RSS after load MiB). */
    private List<String> idleRows(String format) {
        List<String> rows = new ArrayList<>();
        idle.cores().forEach((process, cores) -> {
            if (!process.equals("launcher") && !process.equals(CpuReport.BENCH)) {
                rows.add(String.format(
                        Locale.ROOT,
                        format,
                        process,
                        cores,
                        idle.rssIdleKib().getOrDefault(process, 0L) / 1024,
                        idle.rssLoadedKib().getOrDefault(process, 0L) / 1024));
            }
        });
        return rows;
    }

    /** The processes that used CPU in the phase, most first, in µs per request. */
    private static String cpu(Phase phase) {
        return phase.cpuMillis().entrySet().stream()
                .filter(e -> !e.getKey().equals("launcher") && !e.getKey().equals(CpuReport.BENCH))
                .map(e -> Map.entry(e.getKey(), phase.cpuMicrosPerRequest(e.getKey())))
                .filter(e -> e.getValue() >= 1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}

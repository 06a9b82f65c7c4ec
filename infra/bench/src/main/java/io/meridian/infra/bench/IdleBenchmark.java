package io.meridian.infra.bench;

import io.meridian.infra.cluster.MachineDescription;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./meridian bench idle}: what a cluster costs at rest. After a settling time (JIT compilation of a fresh JVM
 * goes on for minutes), every process's CPU is read from {@code /proc} over a window with no requests, with the
 * threads that used it, and its resident memory.
 */
public final class IdleBenchmark {

    /** Issue targets: the whole cluster, and each replicator, in cores. */
    static final double CLUSTER_TARGET = 0.15;

    static final double REPLICATOR_TARGET = 0.03;

    /** Threads listed per process. */
    private static final int THREADS = 4;

    private final Duration settle;
    private final Duration window;
    private final PrintWriter out;

    public IdleBenchmark(Duration settle, Duration window, PrintWriter out) {
        this.settle = settle;
        this.window = window;
        this.out = out;
    }

    /** The figures of one process at rest. */
    public record Process(String name, double cores, long rssKib, Map<String, Double> threads) {}

    /** The figures of one run. */
    public record Run(List<String> regions, String clusterState, Duration settle, Duration window, List<Process> all) {

        double total() {
            return all.stream().mapToDouble(Process::cores).sum();
        }

        public List<String> consoleLines(MachineDescription machine, String command) {
            List<String> lines = new ArrayList<>();
            lines.add("bench idle: " + setup());
            lines.add("machine: " + machine);
            all.forEach(p -> lines.add(String.format(
                    Locale.ROOT,
                    "%-22s %.3f cores  %6d MiB  %s",
                    p.name(),
                    p.cores(),
                    p.rssKib() / 1024,
                    p.threads())));
            lines.add(String.format(Locale.ROOT, "%-22s %.3f cores", "total", total()));
            checks().forEach(line -> lines.add(line));
            lines.add("command: " + command);
            return lines;
        }

        public String markdownSection(MachineDescription machine, String command) {
            StringBuilder md = new StringBuilder(BenchmarkLog.sectionHeader(machine, "idle", command));
            md.append("- Setup: ").append(setup()).append("\n\n");
            md.append("| process | CPU at rest (cores) | resident memory (MiB) | busiest threads (cores) |\n");
            md.append("| --- | ---: | ---: | --- |\n");
            all.forEach(p -> md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.3f | %d | %s |%n",
                    p.name(),
                    p.cores(),
                    p.rssKib() / 1024,
                    threads(p.threads()))));
            md.append(String.format(Locale.ROOT, "| total | %.3f | | |%n%n", total()));
            checks().forEach(line -> md.append("- ").append(line).append('\n'));
            return md.toString();
        }

        List<String> checks() {
            double replicators = all.stream()
                    .filter(p -> p.name().endsWith("replicator"))
                    .mapToDouble(Process::cores)
                    .max()
                    .orElse(0);
            return List.of(
                    String.format(
                            Locale.ROOT,
                            "cluster at rest ≤ %.2f cores: %.3f, %s",
                            CLUSTER_TARGET,
                            total(),
                            total() <= CLUSTER_TARGET ? "holds" : "missed"),
                    String.format(
                            Locale.ROOT,
                            "each replicator ≤ %.2f cores: busiest %.3f, %s",
                            REPLICATOR_TARGET,
                            replicators,
                            replicators <= REPLICATOR_TARGET ? "holds" : "missed"));
        }

        private String setup() {
            return String.format(
                    Locale.ROOT,
                    "%d regions (%s), %s; no requests; %d s to settle, then CPU over %d s read from /proc per process"
                            + " and per thread",
                    regions.size(),
                    String.join(", ", regions),
                    clusterState,
                    settle.toSeconds(),
                    window.toSeconds());
        }

        private static String threads(Map<String, Double> threads) {
            List<String> parts = new ArrayList<>();
            threads.forEach((name, cores) -> parts.add(String.format(Locale.ROOT, "%s %.3f", name, cores)));
            return String.join(", ", parts);
        }
    }

    public Run run(List<String> regions, String clusterState, Map<String, Long> processes) {
        progress("letting the cluster settle for " + settle.toSeconds() + " s");
        Pause.sleep(settle);
        progress("measuring at rest for " + window.toSeconds() + " s");
        Map<String, Map<String, Double>> before = new LinkedHashMap<>();
        processes.forEach((name, pid) -> before.put(name, ThreadCpu.seconds(pid)));
        CpuReport.Meter meter = CpuReport.start(processes);
        Pause.sleep(window);
        Map<String, Double> cores = meter.stop().byProcess();
        Map<String, Long> rss = ProcessMemory.rssKib(processes);
        List<Process> all = new ArrayList<>();
        processes.forEach((name, pid) -> {
            Map<String, Double> threads =
                    ThreadCpu.cores(before.get(name), ThreadCpu.seconds(pid), window.toNanos() / 1e9);
            Map<String, Double> busiest = new LinkedHashMap<>();
            threads.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(THREADS)
                    .forEach(e -> busiest.put(e.getKey(), e.getValue()));
            all.add(new Process(name, cores.getOrDefault(name, 0.0), rss.getOrDefault(name, 0L), busiest));
        });
        return new Run(regions, clusterState, settle, window, all);
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}

package io.meridian.infra.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the CPU went during a measured window: the machine as a whole ({@code /proc/stat}) and each process of the
 * cluster, in cores (1.0 = one core busy for the whole window). On a small machine the cluster's JVMs, its Redis
 * servers and the load generator share the cores, so this says whether a figure was limited by the code or by the
 * CPU, and by whose use of it.
 *
 * @param busyCores cores busy machine-wide, NaN where {@code /proc/stat} is not readable (not Linux)
 * @param byProcess cores used per named process, busiest first
 */
record CpuReport(int cores, double busyCores, Map<String, Double> byProcess) {

    /** The name under which the benchmark's own JVM is reported. */
    public static final String BENCH = "this bench";

    /** Cores the named processes used in all. */
    public double namedCores() {
        return byProcess.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Cores the cluster's processes used in all (the named ones but the benchmark itself). */
    public double clusterCores() {
        return byProcess.entrySet().stream()
                .filter(e -> !e.getKey().equals(BENCH))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** e.g. {@code 1.97 of 2 cores busy: us-east gateway 0.71, kafka 0.40, ..., other processes 0.05}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        byProcess.forEach((name, used) -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, used)));
        if (Double.isNaN(busyCores)) {
            return "by process (cores): " + String.join(", ", parts);
        }
        parts.add(String.format(Locale.ROOT, "other processes %.2f", Math.max(0, busyCores - namedCores())));
        return String.format(Locale.ROOT, "%.2f of %d cores busy (%.0f%%): ", busyCores, cores, 100 * busyFraction())
                + String.join(", ", parts);
    }

    /** Busy share of the machine, 0..1, NaN where unknown. */
    public double busyFraction() {
        return busyCores / cores;
    }

    /** Measures from now until {@link Meter#stop()}. */
    public static Meter start(Map<String, Long> processes) {
        return new Meter(processes);
    }

    /** A running measurement. */
    public static final class Meter {
        private final Map<String, ProcessHandle> handles = new LinkedHashMap<>();
        private final Map<String, Duration> startCpu = new LinkedHashMap<>();
        private final Optional<long[]> startStat;
        private final long startNanos;

        private Meter(Map<String, Long> processes) {
            processes.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(handle -> handles.put(name, handle)));
            handles.put(BENCH, ProcessHandle.current());
            handles.forEach((name, handle) -> startCpu.put(name, cpu(handle)));
            startStat = readStat();
            startNanos = System.nanoTime();
        }

        public CpuReport stop() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Optional<long[]> endStat = readStat();
            Map<String, Double> used = new LinkedHashMap<>();
            handles.forEach((name, handle) -> {
                Duration spent = cpu(handle).minus(startCpu.get(name));
                used.put(name, spent.toNanos() / 1e9 / seconds);
            });
            int cores = ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors();
            double busy = startStat.isPresent() && endStat.isPresent()
                    ? busyCores(startStat.get(), endStat.get(), cores)
                    : Double.NaN;
            return of(cores, busy, used);
        }

        /** @return CPU milliseconds each process (this bench included) used since the start, without stopping */
        Map<String, Double> cpuMillis() {
            Map<String, Double> used = new LinkedHashMap<>();
            handles.forEach((name, handle) ->
                    used.put(name, cpu(handle).minus(startCpu.get(name)).toNanos() / 1e6));
            return used;
        }

        private static Duration cpu(ProcessHandle handle) {
            return handle.info().totalCpuDuration().orElse(Duration.ZERO);
        }
    }

    /** A report with the processes ordered busiest first. */
    static CpuReport of(int cores, double busyCores, Map<String, Double> used) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        used.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new CpuReport(cores, busyCores, sorted);
    }

    /** Busy cores between two {@code /proc/stat} samples ({@code [busy, total]} jiffies over all cores). */
    static double busyCores(long[] start, long[] end, int cores) {
        long total = end[1] - start[1];
        return total <= 0 ? Double.NaN : (double) (end[0] - start[0]) / total * cores;
    }

    /**
     * Parses the first line of {@code /proc/stat} ({@code cpu user nice system idle iowait irq softirq steal ...}) into
     * {@code [busy, total]} jiffies; idle and iowait are not busy.
     */
    static long[] parseStat(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (fields.length < 5 || !fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        long idle = 0;
        // Fields 9 and 10 (guest, guest_nice) are already counted in user and nice.
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            long value = Long.parseLong(fields[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new long[] {total - idle, total};
    }

    private static Optional<long[]> readStat() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            return lines.findFirst().map(CpuReport::parseStat);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

package io.meridian.infra.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** CPU time used by named processes over a window, read from the operating system ({@code /proc} on Linux). */
final class ProcessCpu {

    private ProcessCpu() {}

    /** Starts a window over {@code processes} (name to pid). */
    static Meter start(Map<String, Long> processes) {
        Map<String, Duration> before = new LinkedHashMap<>();
        processes.forEach((name, pid) -> cpu(pid).ifPresent(used -> before.put(name, used)));
        return new Meter(processes, before);
    }

    /** An open window. */
    static final class Meter {
        private final Map<String, Long> processes;
        private final Map<String, Duration> before;

        private Meter(Map<String, Long> processes, Map<String, Duration> before) {
            this.processes = processes;
            this.before = before;
        }

        /** @return CPU milliseconds each process used since the window started (processes gone are left out) */
        Map<String, Double> stop() {
            Map<String, Double> used = new LinkedHashMap<>();
            before.forEach((name, start) -> cpu(processes.get(name))
                    .ifPresent(end -> used.put(name, end.minus(start).toNanos() / 1e6)));
            return used;
        }
    }

    /** @return each process's resident set size in KiB ({@code VmRSS} of {@code /proc/<pid>/status}), where readable */
    static Map<String, Long> rssKib(Map<String, Long> processes) {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach((name, pid) -> {
            try {
                for (String line :
                        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid + "", "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(name, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // not Linux, or the process ended: left out
            }
        });
        return rss;
    }

    private static Optional<Duration> cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration());
    }
}

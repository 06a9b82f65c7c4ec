package io.meridian.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resident memory of named processes, read from {@code /proc} on Linux (CPU time is {@link CpuReport}'s). */
final class ProcessMemory {

    private ProcessMemory() {}

    /** @return each process's resident set size in KiB ({@code VmRSS} of {@code /proc/<pid>/status}), where readable */
    static Map<String, Long> rssKib(Map<String, Long> processes) {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach((name, pid) -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(name, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // not Linux, or the process ended: left out
            }
        });
        return rss;
    }
}

package io.meridian.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads, grouped by name with trailing numbers dropped ({@code vert.x-eventloop-thread-0}
 * and {@code -1} are one group), from {@code /proc/<pid>/task/<tid>/stat}: which threads keep a process busy at rest.
 * Linux only; elsewhere the groups are empty.
 */
final class ThreadCpu {

    /** Clock ticks per second of {@code /proc} times; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {}

    /** @return CPU seconds used so far, by thread group */
    static Map<String, Double> seconds(long pid) {
        Map<String, Double> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    groups.merge(group(stat), ticks(stat) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return groups;
    }

    /** @return cores used by each group between two readings {@code seconds} apart, busiest first */
    static Map<String, Double> cores(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> used = new TreeMap<>();
        after.forEach((group, total) -> {
            double delta = total - before.getOrDefault(group, 0.0);
            if (delta > 0) {
                used.put(group, delta / seconds);
            }
        });
        return used;
    }

    /** The thread's name without its trailing number or dash: its group. */
    static String group(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.replaceAll("[-#\\d]+$", "");
    }

    /** User plus system time, in clock ticks (fields 14 and 15 of {@code stat}). */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

package io.meridian.infra.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * After the workload: reads every key of the drill in every region, without a token, until the regions agree on it
 * and hold its newest acknowledged write (a 404 where a delete explains it), or the bound passes. The last read of
 * each key in each region goes into the history as a {@link DrillHistory.Kind#FINAL_READ}, where {@link
 * HistoryChecker} looks for every acknowledged write; the keys still unsettled at the bound are the unconverged ones.
 */
final class FinalReads {

    /**
     * What the final reads found.
     *
     * @param keys keys read in every region
     * @param unconverged one line per key whose regions still disagreed, or lacked its newest acknowledged write, at
     *     the bound
     * @param millis from the first read until every key settled, or the bound
     * @param reads the last read of every key in every region
     */
    record Result(int keys, List<String> unconverged, long millis, List<DrillHistory.Op> reads) {}

    private FinalReads() {}

    static Result converge(DrillWorkload workload, List<String> regions, List<DrillHistory.Op> history, Duration bound)
            throws InterruptedException {
        Map<String, DrillHistory.Op> newestAcked = new HashMap<>();
        Set<String> indeterminateDeletes = new TreeSet<>();
        for (DrillHistory.Op op : history) {
            if (op.isWrite() && op.acked()) {
                newestAcked.merge(op.key(), op, (a, b) -> HistoryChecker.newer(b.version(), a.version()) ? b : a);
            } else if (op.kind() == DrillHistory.Kind.DELETE && op.outcome() == DrillHistory.Outcome.INDETERMINATE) {
                indeterminateDeletes.add(op.key());
            }
        }
        long started = System.currentTimeMillis();
        long deadline = started + bound.toMillis();
        Map<String, Map<String, DrillHistory.Op>> last = new TreeMap<>();
        Set<String> pending = new TreeSet<>(workload.keys());
        while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
            for (String key : List.copyOf(pending)) {
                Map<String, DrillHistory.Op> reads = new TreeMap<>();
                regions.forEach(region -> reads.put(region, workload.finalRead(region, key)));
                last.put(key, reads);
                if (settled(reads.values(), newestAcked.get(key), indeterminateDeletes.contains(key))) {
                    pending.remove(key);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        long millis = System.currentTimeMillis() - started;
        List<String> unconverged = pending.stream()
                .map(key -> key + ": " + summary(last.get(key)) + " after " + bound.toSeconds() + " s (newest"
                        + " acknowledged write: " + describe(newestAcked.get(key)) + ")")
                .toList();
        List<DrillHistory.Op> reads = new ArrayList<>();
        last.values().forEach(byRegion -> reads.addAll(byRegion.values()));
        return new Result(workload.keys().size(), unconverged, millis, reads);
    }

    /**
     * Every region answered the same (status and version), and that holds the newest acknowledged write: its version
     * or a newer one, or a 404 after a delete.
     */
    static boolean settled(
            Collection<DrillHistory.Op> reads, DrillHistory.Op newestAcked, boolean indeterminateDelete) {
        if (reads.isEmpty() || !reads.stream().allMatch(DrillHistory.Op::acked)) {
            return false;
        }
        DrillHistory.Op first = reads.iterator().next();
        boolean agree = reads.stream()
                .allMatch(read -> read.status() == first.status() && Objects.equals(read.version(), first.version()));
        if (!agree || newestAcked == null) {
            return agree;
        }
        if (first.found()) {
            return !HistoryChecker.newer(newestAcked.version(), first.version());
        }
        return newestAcked.kind() == DrillHistory.Kind.DELETE || indeterminateDelete;
    }

    private static String summary(Map<String, DrillHistory.Op> reads) {
        return reads.entrySet().stream()
                .map(read -> read.getKey() + " "
                        + (read.getValue().found()
                                ? "version " + read.getValue().version()
                                : read.getValue().status() == 0
                                        ? "no answer"
                                        : read.getValue().status()))
                .collect(Collectors.joining(", "));
    }

    private static String describe(DrillHistory.Op write) {
        return write == null ? "none" : write.kind() + " version " + write.version();
    }
}

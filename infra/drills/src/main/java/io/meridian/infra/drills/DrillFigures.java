package io.meridian.infra.drills;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The figures every drill reports, as (name, value) pairs in report order; a fault adds its own after them. */
final class DrillFigures {

    private DrillFigures() {}

    static List<String[]> common(
            List<DrillHistory.Op> ops,
            List<HistoryChecker.Violation> checked,
            long hung,
            List<ProcessStalls.Stall> stalls,
            List<String> violations,
            FinalReads.Result convergence,
            String detects,
            Long detect,
            Long recover,
            long restartMillis) {
        Map<Integer, Long> byStatus = ops.stream()
                .collect(Collectors.groupingBy(DrillHistory.Op::status, TreeMap::new, Collectors.counting()));
        Map<DrillHistory.Outcome, Long> writes = ops.stream()
                .filter(DrillHistory.Op::isWrite)
                .collect(Collectors.groupingBy(
                        DrillHistory.Op::outcome,
                        () -> new EnumMap<>(DrillHistory.Outcome.class),
                        Collectors.counting()));
        long deletes = ops.stream()
                .filter(op -> op.kind() == DrillHistory.Kind.DELETE && op.acked())
                .count();
        long conditional =
                ops.stream().filter(op -> op.isWrite() && op.ifMatch() != null).count();
        long conditionalAcked = ops.stream()
                .filter(op -> op.isWrite() && op.ifMatch() != null && op.acked())
                .count();
        Map<HistoryChecker.Rule, Long> byRule = new EnumMap<>(HistoryChecker.Rule.class);
        for (HistoryChecker.Rule rule : HistoryChecker.Rule.values()) {
            byRule.put(rule, checked.stream().filter(v -> v.rule() == rule).count());
        }
        long maxLatency =
                ops.stream().mapToLong(DrillHistory.Op::latencyMillis).max().orElse(0);
        List<String[]> figures = new ArrayList<>();
        figures.add(new String[] {"requests", Long.toString(ops.size())});
        figures.add(new String[] {
            "writes acknowledged / indeterminate / refused",
            writes.getOrDefault(DrillHistory.Outcome.OK, 0L) + " / "
                    + writes.getOrDefault(DrillHistory.Outcome.INDETERMINATE, 0L) + " / "
                    + writes.getOrDefault(DrillHistory.Outcome.FAILED, 0L)
        });
        figures.add(new String[] {"deletes acknowledged", Long.toString(deletes)});
        figures.add(new String[] {
            "conditional writes (If-Match) acknowledged of sent", conditionalAcked + " of " + conditional
        });
        figures.add(new String[] {"answers by status (0: no answer)", byStatus.toString()});
        figures.add(new String[] {"keys read finally in every region", Integer.toString(convergence.keys())});
        figures.add(new String[] {
            "keys not converged", Integer.toString(convergence.unconverged().size())
        });
        figures.add(new String[] {
            "history: "
                    + Arrays.stream(HistoryChecker.Rule.values())
                            .map(HistoryChecker.Rule::label)
                            .collect(Collectors.joining(" / "))
                    + " violations",
            byRule.values().stream().map(String::valueOf).collect(Collectors.joining(" / "))
        });
        figures.add(new String[] {"violations", Integer.toString(violations.size())});
        figures.add(new String[] {"requests without an answer in time (hangs)", Long.toString(hung)});
        figures.add(new String[] {"slowest answer (ms)", Long.toString(maxLatency)});
        figures.add(new String[] {
            "stalls of the drill process (count, longest ms; not counted as waiting for a gateway)",
            stalls.size() + ", "
                    + stalls.stream()
                            .mapToLong(ProcessStalls.Stall::millis)
                            .max()
                            .orElse(0)
        });
        figures.add(
                new String[] {"time to detect (s, " + detects + ")", detect == null ? "-" : DrillReport.seconds(detect)
                });
        figures.add(new String[] {"restart of the killed processes (s)", DrillReport.seconds(restartMillis)});
        figures.add(new String[] {
            "time to recover (s, restarted to every region under the lag threshold)",
            recover == null ? "-" : DrillReport.seconds(recover)
        });
        figures.add(
                new String[] {"time to converge after the workload (s)", DrillReport.seconds(convergence.millis())});
        return figures;
    }
}

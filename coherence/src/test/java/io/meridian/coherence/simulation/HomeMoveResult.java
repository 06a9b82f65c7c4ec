package io.meridian.coherence.simulation;

import java.util.List;
import java.util.stream.Collectors;

/** What one seeded run of {@link HomeMoveSimulation} found. */
record HomeMoveResult(long seed, List<Violation> violations, Stats stats, Trace trace) {

    /** Counters, to see that a run did something and to compare two runs of one seed. */
    record Stats(
            long writes,
            long acknowledged,
            long indeterminate,
            long refused,
            long failed,
            long appended,
            int handovers,
            int failovers,
            int dataLosses,
            long deliveries) {}

    boolean passed() {
        return violations.isEmpty();
    }

    boolean found(Violation.Kind kind) {
        return violations.stream().anyMatch(violation -> violation.kind() == kind);
    }

    /** The first few violations, and the history of the first violated key when the run was traced. */
    String report(int maxViolations) {
        String listed = violations.stream()
                .limit(maxViolations)
                .map(violation -> "  " + violation)
                .collect(Collectors.joining(System.lineSeparator()));
        String history = violations.isEmpty() || !trace.enabled()
                ? ""
                : System.lineSeparator() + "history of " + violations.get(0).key() + ":" + System.lineSeparator()
                        + trace.of(violations.get(0).key());
        return "seed " + seed + ": " + violations.size() + " violation(s), " + stats + System.lineSeparator() + listed
                + history;
    }
}

package io.meridian.coherence.simulation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What one seeded run found. */
record SimulationResult(long seed, List<Violation> violations, Stats stats, Trace trace) {

    /**
     * Counters, to see that a run did something and to compare two runs of one seed.
     *
     * @param stalePuts cache-aside fills that put a row which had changed since they read it
     */
    record Stats(
            long requests,
            long writes,
            long unavailable,
            long deliveries,
            long fills,
            long fillsRefusedByTombstone,
            long partitions,
            long leases,
            long stalePuts,
            long refusedByLease,
            long refusedByExternalVersion) {}

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
        Set<String> keys = new LinkedHashSet<>();
        violations.forEach(violation -> keys.add(violation.key()));
        String history = keys.isEmpty() || !trace.enabled()
                ? ""
                : System.lineSeparator() + "history of " + keys.iterator().next() + ":" + System.lineSeparator()
                        + trace.of(keys.iterator().next());
        return "seed " + seed + ": " + violations.size() + " violation(s), " + stats + System.lineSeparator() + listed
                + history;
    }
}

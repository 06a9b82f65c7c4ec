package io.meridian.infra.drills;

import io.meridian.coherence.version.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a drill's {@link DrillHistory} after the run, every acknowledged write included, not only the last of each
 * key. Modelled on Jepsen's checkers (Kingsbury, "Jepsen: Knossos" and the Elle paper, VLDB 2020): an operation has an
 * invocation and a completion; an indeterminate write may or may not have happened, so it may explain a value read or
 * supersede a write, but it never counts as acknowledged; a refused write did not happen.
 *
 * <p>The rules, each a {@link Rule}:
 *
 * <ul>
 *   <li>{@link Rule#LOST_WRITE}: each region's final read of a key holds every acknowledged write of it, or a newer
 *       version; a final 404 holds an acknowledged value only when a delete may have superseded it (an acknowledged
 *       newer one or an indeterminate one).
 *   <li>{@link Rule#REAL_TIME_ORDER}: of two acknowledged writes of a key, the one that completed before the other was
 *       invoked has the older version (writes of a key run in its home, in version order).
 *   <li>{@link Rule#SESSION}: a read carrying a session token returns at least the versions the token covers, a token
 *       covering what the token sent with its request covered plus that request (api.md, Session tokens): so
 *       read-your-writes and monotonic reads. A read without a token, in the region that executed one of the
 *       client's acknowledged writes while it is still the key's home, sees that write or a newer version.
 *   <li>{@link Rule#VALUE_VERSION}: each value read was written by a PUT that may have happened, of that key, and
 *       carries the version that PUT was acknowledged with.
 * </ul>
 *
 * <p>A 404 where a session or a final read expects a value is excused only by a delete of the key that may have
 * superseded it: the workload's values outlive the drill, and nothing else (purge) removes them.
 */
final class HistoryChecker {

    /** Which promise a violation breaks. */
    enum Rule {
        LOST_WRITE("lost write"),
        REAL_TIME_ORDER("real-time order"),
        SESSION("session"),
        VALUE_VERSION("value/version");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** A broken promise: which, when (ms since the workload started), about which key, and what happened. */
    record Violation(Rule rule, long atMillis, String key, String what) {

        @Override
        public String toString() {
            return DrillReport.seconds(atMillis) + " s: " + rule.label() + ": " + what;
        }
    }

    /** Versions in their order; text that is not a version (which (d) would not explain either) in text order. */
    private static final Comparator<String> BY_VERSION = (a, b) -> {
        try {
            return Version.fromHex(a).compareTo(Version.fromHex(b));
        } catch (IllegalArgumentException notAVersion) {
            return a.compareTo(b);
        }
    };

    private final List<DrillHistory.Op> ops;
    private final Map<String, List<DrillHistory.Op>> byKey = new TreeMap<>();
    private final Map<String, DrillHistory.Op> writeOfValue = new HashMap<>();

    private HistoryChecker(List<DrillHistory.Op> ops) {
        this.ops = List.copyOf(ops);
        for (DrillHistory.Op op : this.ops) {
            byKey.computeIfAbsent(op.key(), any -> new ArrayList<>()).add(op);
            if (op.isPut()) {
                writeOfValue.put(op.value(), op);
            }
        }
    }

    /** Every violation of {@code ops}, by rule, then in time order. */
    static List<Violation> check(List<DrillHistory.Op> ops) {
        HistoryChecker checker = new HistoryChecker(ops);
        List<Violation> violations = new ArrayList<>();
        violations.addAll(checker.lostWrites());
        violations.addAll(checker.realTimeOrder());
        violations.addAll(new SessionCheck(checker).violations());
        violations.addAll(checker.valueVersions());
        violations.sort(Comparator.comparing(Violation::rule).thenComparingLong(Violation::atMillis));
        return violations;
    }

    /** (a) Every acknowledged write is in every region's final read of its key, or superseded there. */
    private List<Violation> lostWrites() {
        List<Violation> violations = new ArrayList<>();
        byKey.forEach((key, history) -> {
            List<DrillHistory.Op> acked =
                    history.stream().filter(op -> op.isWrite() && op.acked()).toList();
            List<DrillHistory.Op> finals = history.stream()
                    .filter(op -> op.kind() == DrillHistory.Kind.FINAL_READ && op.acked())
                    .toList();
            if (acked.isEmpty()) {
                return;
            }
            if (finals.isEmpty()) {
                violations.add(new Violation(
                        Rule.LOST_WRITE,
                        acked.get(acked.size() - 1).completeMillis(),
                        key,
                        "no region answered a final read of " + key + ": its " + acked.size()
                                + " acknowledged writes cannot be found"));
                return;
            }
            for (DrillHistory.Op write : acked) {
                List<String> missing = new ArrayList<>();
                for (DrillHistory.Op read : finals) {
                    if (!holds(read, write)) {
                        missing.add(read.region() + " (" + (read.found() ? "version " + read.version() : "404") + ")");
                    }
                }
                if (!missing.isEmpty()) {
                    violations.add(new Violation(
                            Rule.LOST_WRITE,
                            write.completeMillis(),
                            key,
                            "acknowledged " + write.describe() + " is missing from the final read in "
                                    + String.join(", ", missing)));
                }
            }
        });
        return violations;
    }

    /** Whether a final read holds an acknowledged write: its version or a newer one, or a 404 a delete explains. */
    private boolean holds(DrillHistory.Op read, DrillHistory.Op write) {
        if (read.found()) {
            return read.version() != null && !newer(write.version(), read.version());
        }
        return write.kind() == DrillHistory.Kind.DELETE || deleteMaySupersede(read, write.version());
    }

    /**
     * Whether a delete of the read's key may explain its 404 over {@code version}: an acknowledged delete with a newer
     * version, or an indeterminate one (its version is unknown), invoked before the read completed.
     */
    boolean deleteMaySupersede(DrillHistory.Op read, String version) {
        return ofKey(read.key()).stream()
                .filter(op -> op.kind() == DrillHistory.Kind.DELETE && op.attempted())
                .filter(delete -> delete.invokeMillis() < read.completeMillis())
                .anyMatch(delete ->
                        delete.outcome() == DrillHistory.Outcome.INDETERMINATE || newer(delete.version(), version));
    }

    /**
     * (b) Of two acknowledged writes of a key, the one completed before the other was invoked has the older version.
     * Each write is compared with the newest version among the writes completed before its invocation.
     */
    private List<Violation> realTimeOrder() {
        List<Violation> violations = new ArrayList<>();
        byKey.forEach((key, history) -> {
            List<DrillHistory.Op> acked = history.stream()
                    .filter(op -> op.isWrite() && op.acked() && op.version() != null)
                    .toList();
            List<DrillHistory.Op> byCompletion = acked.stream()
                    .sorted(Comparator.comparingLong(DrillHistory.Op::completeMillis))
                    .toList();
            List<DrillHistory.Op> byInvocation = acked.stream()
                    .sorted(Comparator.comparingLong(DrillHistory.Op::invokeMillis))
                    .toList();
            int completed = 0;
            DrillHistory.Op newestBefore = null;
            for (DrillHistory.Op write : byInvocation) {
                while (completed < byCompletion.size()
                        && byCompletion.get(completed).completeMillis() < write.invokeMillis()) {
                    DrillHistory.Op done = byCompletion.get(completed++);
                    if (newestBefore == null || newer(done.version(), newestBefore.version())) {
                        newestBefore = done;
                    }
                }
                if (newestBefore != null && !newer(write.version(), newestBefore.version())) {
                    violations.add(new Violation(
                            Rule.REAL_TIME_ORDER,
                            write.invokeMillis(),
                            key,
                            write.describe() + " was invoked after " + newestBefore.describe()
                                    + " completed, but its version is not newer"));
                }
            }
        });
        return violations;
    }

    /** (d) Each value read names a PUT of that key that may have happened, and that PUT's acknowledged version. */
    private List<Violation> valueVersions() {
        List<Violation> violations = new ArrayList<>();
        for (DrillHistory.Op read : ops) {
            if (!read.found()) {
                continue;
            }
            DrillHistory.Op write = writeOfValue.get(read.value());
            String problem;
            if (read.version() == null) {
                problem = "answered no version (ETag)";
            } else if (write == null || !write.key().equals(read.key())) {
                problem = "no PUT of " + read.key() + " wrote this value";
            } else if (!write.attempted()) {
                problem = "its PUT was refused, so it never happened: " + write.describe();
            } else if (write.invokeMillis() > read.completeMillis()) {
                problem = "its PUT was invoked only after the read completed: " + write.describe();
            } else if (write.acked() && !read.version().equals(write.version())) {
                problem = "it was written with version " + write.version() + ": " + write.describe();
            } else if (write.outcome() == DrillHistory.Outcome.INDETERMINATE
                    && ackedVersions(read.key()).contains(read.version())) {
                problem = "that version belongs to another acknowledged write of the key";
            } else {
                continue;
            }
            violations.add(new Violation(
                    Rule.VALUE_VERSION, read.completeMillis(), read.key(), read.describe() + ": " + problem));
        }
        return violations;
    }

    private TreeSet<String> ackedVersions(String key) {
        TreeSet<String> versions = new TreeSet<>();
        ofKey(key).stream()
                .filter(op -> op.isWrite() && op.acked() && op.version() != null)
                .forEach(op -> versions.add(op.version()));
        return versions;
    }

    List<DrillHistory.Op> ops() {
        return ops;
    }

    /** The operations on {@code key}, in the order recorded. */
    List<DrillHistory.Op> ofKey(String key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** @return {@code a} is a newer version than {@code b} (null is older than anything) */
    static boolean newer(String a, String b) {
        if (a == null) {
            return false;
        }
        return b == null || BY_VERSION.compare(a, b) > 0;
    }
}

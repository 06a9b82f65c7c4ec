package io.meridian.infra.launcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a drill's history must satisfy, checked after the run. */
final class DrillChecks {

    private DrillChecks() {}

    /** A broken promise, with when it happened (ms since the workload started). */
    record Violation(long atMillis, String what) {}

    /**
     * Read-your-writes and monotonic reads: a read that carried the client's session token never answers an older
     * version of the key than one the client wrote or read before, and never 404 once the client has seen a value (the
     * workload deletes nothing and its values outlive the drill).
     */
    static List<Violation> readYourWrites(List<DrillHistory.Op> ops) {
        List<Violation> violations = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        List<DrillHistory.Op> ordered = new ArrayList<>(ops);
        ordered.sort(Comparator.comparingInt(DrillHistory.Op::client).thenComparingLong(DrillHistory.Op::atMillis));
        for (DrillHistory.Op op : ordered) {
            String id = op.client() + "/" + op.key();
            String known = seen.get(id);
            if (op.isPut()) {
                if (op.acked() && DrillWorkload.newer(op.version(), known)) {
                    seen.put(id, op.version());
                }
                continue;
            }
            if (op.status() == 200) {
                if (op.tokenSent() && DrillWorkload.newer(known, op.version())) {
                    violations.add(new Violation(
                            op.atMillis(),
                            "client " + op.client() + " read " + op.key() + " at version " + op.version() + " in "
                                    + op.region() + " after having seen " + known));
                }
                if (DrillWorkload.newer(op.version(), known)) {
                    seen.put(id, op.version());
                }
            } else if (op.status() == 404 && op.tokenSent() && known != null) {
                violations.add(new Violation(
                        op.atMillis(),
                        "client " + op.client() + " got 404 for " + op.key() + " in " + op.region()
                                + " after having seen version " + known));
            }
        }
        return violations;
    }

    /** The newest acknowledged write of every key written: what every region must converge to (or past). */
    static Map<String, DrillHistory.Op> lastAcknowledged(List<DrillHistory.Op> ops) {
        Map<String, DrillHistory.Op> last = new HashMap<>();
        for (DrillHistory.Op op : ops) {
            if (op.isPut() && op.acked()) {
                DrillHistory.Op before = last.get(op.key());
                if (before == null || DrillWorkload.newer(op.version(), before.version())) {
                    last.put(op.key(), op);
                }
            }
        }
        return last;
    }
}

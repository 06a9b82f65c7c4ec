package io.meridian.coherence.simulation;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history of every write attempt of a {@link HomeMoveSimulation} run, and the properties checked on it at the
 * end, after every region returned, every move ended and every delivery ran:
 *
 * <ul>
 *   <li><b>one home per epoch</b>: no two regions acknowledge writes of one key under the same assignment epoch;
 *   <li><b>version order</b>: of two acknowledged writes of a key, the one acknowledged before the other was sent
 *       has the older version;
 *   <li><b>no lost write</b>: an acknowledged write is superseded (a newer version appended) only by a write that
 *       began (took its version, under the key's lock) after it began; a write whose outcome its client never
 *       learnt (indeterminate) is named when it is the one that superseded. After convergence, every region holds
 *       the key's newest write, or nothing when that write is older than the replay point of the region's last data
 *       loss (a documented miss: reads fill from the home);
 *   <li><b>conditional writes are linearizable per key</b>: a conditional write that took effect named the version
 *       of the write right before it in the key's version order (over every appended write, acknowledged or not).
 *       A refused one (412) is not checked: refusing is always safe for the key's data;
 *   <li><b>convergence and no resurrection</b>: after convergence no region holds a live value other than the
 *       newest write; one older than a delete the home acknowledged is a resurrection.
 * </ul>
 *
 * Expiry is judged on skewed clocks, so a value is held against a region only when it is surely live by every clock.
 */
final class HistoryChecker {

    enum Op {
        PUT,
        DELETE,
        CONDITIONAL_PUT
    }

    enum Outcome {
        PENDING,
        ACKNOWLEDGED,
        /** 503: not executed (refused before the lock, or the append failed). */
        FAILED,
        /** 412: the conditional write's version did not match. */
        REFUSED,
        /** The client timed out: executed or not, it does not know. */
        INDETERMINATE
    }

    /** One write request, from the client's send to its outcome, with what its home did with it. */
    static final class Attempt {
        final long id;
        final String key;
        final Op op;
        final String value;
        final Version expected;
        final long ttlMillis;
        final long invokedAt;
        Outcome outcome = Outcome.PENDING;
        long answeredAt;
        Region executor;
        int epoch;
        Version version;
        long beganAt;
        boolean appended;
        long expiresAtMillis = Long.MAX_VALUE;

        Attempt(long id, String key, Op op, String value, Version expected, long ttlMillis, long invokedAt) {
            this.id = id;
            this.key = key;
            this.op = op;
            this.value = value;
            this.expected = expected;
            this.ttlMillis = ttlMillis;
            this.invokedAt = invokedAt;
        }

        boolean acknowledged() {
            return outcome == Outcome.ACKNOWLEDGED;
        }

        @Override
        public String toString() {
            String what = switch (op) {
                case PUT -> "put '" + value + "'";
                case DELETE -> "delete " + value;
                case CONDITIONAL_PUT -> "put '" + value + "' if " + expected;
            };
            String where = version == null ? "" : " " + version + " at " + executor + " epoch " + epoch;
            return what + where + " (" + outcome.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    private final Scheduler time;
    private final long startMillis;
    private final long marginMillis;
    private final long rewindMillis;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<Version, Attempt> byVersion = new HashMap<>();
    private final Map<Region, Long> replayFloors = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();

    /** @param rewindMillis the protocol's replay rewind, whatever the run's variant does */
    HistoryChecker(Scheduler time, long marginMillis, long rewindMillis) {
        this.time = time;
        this.startMillis = time.now();
        this.marginMillis = marginMillis;
        this.rewindMillis = rewindMillis;
    }

    void invoked(Attempt attempt) {
        attempts.add(attempt);
    }

    /** The executor took the attempt's version under the key's lock. */
    void began(Attempt attempt, Region executor, int epoch, Version version, long expiresAtMillis) {
        attempt.executor = executor;
        attempt.epoch = epoch;
        attempt.version = version;
        attempt.beganAt = time.now();
        attempt.expiresAtMillis = expiresAtMillis;
    }

    void appended(Attempt attempt) {
        attempt.appended = true;
        byVersion.put(attempt.version, attempt);
    }

    /** The client got an answer in time (a later answer is ignored: the client already gave up). */
    void answered(Attempt attempt, Outcome outcome) {
        if (attempt.outcome == Outcome.PENDING) {
            attempt.outcome = outcome;
            attempt.answeredAt = time.now();
        }
    }

    void timedOut(Attempt attempt) {
        answered(attempt, Outcome.INDETERMINATE);
    }

    /** {@code region}'s Redis lost everything at {@code wallMillis} on its clock. */
    void dataLost(Region region, long wallMillis) {
        replayFloors.put(region, wallMillis - rewindMillis);
    }

    long attempts() {
        return attempts.size();
    }

    long count(Outcome outcome) {
        return attempts.stream().filter(a -> a.outcome == outcome).count();
    }

    long appendedCount() {
        return byVersion.size();
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Every property, once the run has converged. */
    void checkAll(List<Region> regions) {
        Map<String, List<Attempt>> byKey = new TreeMap<>();
        attempts.forEach(
                a -> byKey.computeIfAbsent(a.key, k -> new ArrayList<>()).add(a));
        byKey.forEach((key, history) -> {
            checkOneHomePerEpoch(key, history);
            checkVersionOrder(key, history);
            List<Attempt> appended = history.stream()
                    .filter(a -> a.appended)
                    .sorted(Comparator.comparing((Attempt a) -> a.version))
                    .toList();
            checkNotSuperseded(key, history, appended);
            checkConditionalWrites(key, appended);
            if (!appended.isEmpty()) {
                regions.forEach(region -> checkFinalState(key, region, appended));
            }
        });
    }

    private void checkOneHomePerEpoch(String key, List<Attempt> history) {
        Map<Integer, Attempt> firstByEpoch = new HashMap<>();
        for (Attempt a : history) {
            if (!a.acknowledged()) {
                continue;
            }
            Attempt other = firstByEpoch.putIfAbsent(a.epoch, a);
            if (other != null && other.executor != a.executor) {
                fail(Violation.Kind.SPLIT_HOME, key, "%s and %s acknowledged in epoch %d", other, a, a.epoch);
                return;
            }
        }
    }

    private void checkVersionOrder(String key, List<Attempt> history) {
        List<Attempt> acked = history.stream().filter(Attempt::acknowledged).toList();
        for (Attempt later : acked) {
            for (Attempt earlier : acked) {
                if (earlier.answeredAt < later.invokedAt && earlier.version.compareTo(later.version) >= 0) {
                    fail(
                            Violation.Kind.VERSION_ORDER,
                            key,
                            "%s was acknowledged at +%d ms, before %s was sent at +%d ms, with a newer version",
                            earlier,
                            earlier.answeredAt - startMillis,
                            later,
                            later.invokedAt - startMillis);
                    return;
                }
            }
        }
    }

    private void checkNotSuperseded(String key, List<Attempt> history, List<Attempt> appended) {
        for (Attempt acked : history) {
            if (!acked.acknowledged()) {
                continue;
            }
            for (Attempt newer : appended) {
                if (newer.version.compareTo(acked.version) > 0 && newer.beganAt < acked.beganAt) {
                    String cause = newer.outcome == Outcome.INDETERMINATE ? "the indeterminate write " : "";
                    fail(
                            Violation.Kind.LOST_WRITE,
                            key,
                            "%s (began +%d ms) was superseded by %s%s, which began before it (+%d ms)",
                            acked,
                            acked.beganAt - startMillis,
                            cause,
                            newer,
                            newer.beganAt - startMillis);
                    return;
                }
            }
        }
    }

    private void checkConditionalWrites(String key, List<Attempt> appended) {
        for (int i = 0; i < appended.size(); i++) {
            Attempt write = appended.get(i);
            if (write.op != Op.CONDITIONAL_PUT) {
                continue;
            }
            Attempt before = i == 0 ? null : appended.get(i - 1);
            if (before == null || !before.version.equals(write.expected)) {
                fail(
                        Violation.Kind.CONDITIONAL_WRITE,
                        key,
                        "%s took effect, but the write before it is %s",
                        write,
                        before == null ? "none" : before);
                return;
            }
        }
    }

    private void checkFinalState(String key, Region region, List<Attempt> appended) {
        Attempt newest = appended.get(appended.size() - 1);
        ReplicaStore.Entry entry = region.store.get(key);
        StoredValue held = entry == null ? null : entry.value();
        boolean live = held != null && !held.tombstone();
        if (live && !held.version().equals(newest.version)) {
            Attempt stale = byVersion.get(held.version());
            Attempt delete = newestAcknowledgedDelete(appended);
            if (delete != null && delete.version.compareTo(held.version()) > 0) {
                fail(
                        Violation.Kind.RESURRECTION,
                        key,
                        "%s holds %s after the home acknowledged %s; newest is %s",
                        region,
                        stale,
                        delete,
                        newest);
            } else {
                fail(Violation.Kind.CONVERGENCE, key, "%s holds %s; newest is %s", region, stale, newest);
            }
            return;
        }
        boolean surelyLive = newest.op != Op.DELETE && newest.expiresAtMillis > time.now() + marginMillis;
        if (!live && surelyLive && !mayHaveBeenDropped(region, newest)) {
            fail(
                    newest.acknowledged() ? Violation.Kind.LOST_WRITE : Violation.Kind.CONVERGENCE,
                    key,
                    "%s holds %s; newest is %s, live for %d ms more",
                    region,
                    held == null ? "nothing" : "tombstone of " + byVersion.get(held.version()),
                    newest,
                    newest.expiresAtMillis - time.now());
        }
    }

    /** A write older than the replay point of the region's last data loss need not have been rebuilt. */
    private boolean mayHaveBeenDropped(Region region, Attempt write) {
        Long floor = replayFloors.get(region);
        return floor != null && write.version.wallMillis() < floor;
    }

    private static Attempt newestAcknowledgedDelete(List<Attempt> appended) {
        Attempt found = null;
        for (Attempt a : appended) {
            if (a.op == Op.DELETE && a.acknowledged()) {
                found = a;
            }
        }
        return found;
    }

    private void fail(Violation.Kind kind, String key, String format, Object... args) {
        violations.add(new Violation(kind, key, time.now() - startMillis, String.format(format, args)));
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks the guarantees while the run goes and at its end.
 *
 * <ul>
 *   <li>read-your-writes and monotonic reads, per client and key: never an older version than the client wrote or
 *       read, and no miss while the newest value it knows of is surely live;
 *   <li>no resurrection: a read never returns a value older than a delete that was applied in the reading region
 *       before the read began;
 *   <li>integrity: a version always comes with the value it was written with, and no surely expired value is served;
 *   <li>convergence, after every link healed and every event was delivered: every region holds the newest write of
 *       every key if it is surely live, and no other live value;
 *   <li>no stale fill, for the keys of {@link Database} rows. The row version of a write is the version of the row
 *       its content was read at, or for a delete the external version it carried (deletes of rows and invalidations
 *       after updates alike); a write is taken when the home executed it (logged and applied), which every
 *       acknowledged write was, before its acknowledgement:
 *       <ol>
 *         <li>during the run, no read in any region answers a live value whose row version is lower than the row
 *             version of a delete of its key that the home had taken before it took the write of that value. That
 *             holds whether or not the delete has reached the reading region, so it covers every read made once the
 *             delete was applied there and every delete acknowledged before the stale write was decided; a value the
 *             home took before the delete, read once the delete was applied, is a resurrection (above);
 *         <li>at the end, for every row whose last change deleted it at row version {@code d}, no region holds a live
 *             value of its key whose row version is lower than or equal to {@code d};
 *         <li>at the end, no region holds a live value of a row's key whose row version is lower than the highest
 *             row version of any write of that key the home took (so of any acknowledged one).
 *       </ol>
 * </ul>
 *
 * Expiry is judged on skewed clocks, so a value is only held against a region when it is surely live or surely
 * expired by every clock ({@link SimulationConfig.Faults#clockMarginMillis()}); tombstones and versions are exact.
 * The stale-fill checks hold only within the stale-fill bound of {@link SimulationConfig}.
 */
final class ConsistencyChecker {

    private record Known(WriteRecord record, boolean ownWrite) {}

    private final Scheduler time;
    private final Database database;
    private final long startMillis;
    private final long marginMillis;
    private final Map<Version, WriteRecord> writes = new HashMap<>();
    private final Map<String, WriteRecord> latest = new TreeMap<>();
    private final Map<String, Known> known = new HashMap<>();
    private final Map<String, Version> deleteFloors = new HashMap<>();
    private final Map<String, Long> deletedRows = new HashMap<>();
    private final Map<String, Long> newestRows = new HashMap<>();
    private final Map<Version, Long> deletedRowsAtDecision = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();

    ConsistencyChecker(Scheduler time, Database database, long marginMillis) {
        this.time = time;
        this.database = database;
        this.startMillis = time.now();
        this.marginMillis = marginMillis;
    }

    /**
     * The home executed a write or delete. For a row's key: a value remembers the newest row version deleted before
     * it, and the key the newest row version of any write.
     */
    void executed(WriteRecord record) {
        writes.put(record.version(), record);
        latest.merge(record.key(), record, (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
        if (database.holds(record.key())) {
            String key = record.key();
            if (record.isDelete()) {
                deletedRows.merge(key, rowVersion(record), Math::max);
            } else {
                deletedRowsAtDecision.put(record.version(), deletedRows.getOrDefault(key, 0L));
            }
            newestRows.merge(key, rowVersion(record), Math::max);
        }
    }

    /** A client got the acknowledgement of its write. */
    void acknowledged(Client client, WriteRecord record) {
        learn(client, record, true);
    }

    /** A region stored a value or tombstone; a delete's tombstone raises the key's floor there for good. */
    void stored(Region region, String key, StoredValue value) {
        WriteRecord record = writes.get(value.version());
        if (value.tombstone() && record != null && record.isDelete()) {
            deleteFloors.merge(region.name + "/" + key, value.version(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    /** @return the newest delete of the key applied in the region so far, or null */
    Version deleteFloor(Region region, String key) {
        return deleteFloors.get(region.name + "/" + key);
    }

    /** A client's read in {@code at} answered {@code value} (null: not found); {@code floor} as it was at the start. */
    void read(Client client, Region at, String key, long startedAt, Version floor, StoredValue value) {
        WriteRecord seen = value == null ? null : writes.get(value.version());
        if (value != null && !isIntact(key, value, seen)) {
            return;
        }
        boolean live = value != null && !value.tombstone();
        if (live && seen.surelyExpiredAt(startedAt, marginMillis)) {
            fail(
                    Violation.Kind.INTEGRITY,
                    key,
                    "%s in %s was served %s, expired %d ms ago",
                    client,
                    at,
                    seen,
                    time.now() - seen.expiresAtMillis());
        }
        Known before = known.get(client.id + "/" + key);
        if (before != null) {
            checkSession(client, at, key, before, value, seen);
        }
        if (live && floor != null && value.version().compareTo(floor) < 0) {
            fail(
                    Violation.Kind.RESURRECTION,
                    key,
                    "%s in %s read %s although delete %s was applied there before",
                    client,
                    at,
                    seen,
                    floor);
        }
        if (live && database.holds(key) && rowVersion(seen) < deletedRowsAtDecision.get(seen.version())) {
            fail(
                    Violation.Kind.STALE_FILL,
                    key,
                    "%s in %s read %s (row version %d), put after a delete of row version %d was taken",
                    client,
                    at,
                    seen,
                    rowVersion(seen),
                    deletedRowsAtDecision.get(seen.version()));
        }
        if (seen != null) {
            learn(client, seen, false);
        }
    }

    private void checkSession(Client client, Region at, String key, Known before, StoredValue value, WriteRecord seen) {
        Violation.Kind kind = before.ownWrite() ? Violation.Kind.READ_YOUR_WRITES : Violation.Kind.MONOTONIC_READS;
        String knew = (before.ownWrite() ? "wrote " : "had read ") + before.record();
        if (value != null && value.version().compareTo(before.record().version()) < 0) {
            fail(kind, key, "%s %s, then read older %s in %s", client, knew, seen, at);
            return;
        }
        boolean notFound = value == null
                || (value.tombstone() && value.version().equals(before.record().version()));
        if (notFound && before.record().surelyLiveAt(time.now(), marginMillis)) {
            fail(
                    kind,
                    key,
                    "%s %s (live for %d ms more), then got not-found in %s",
                    client,
                    knew,
                    before.record().expiresAtMillis() - time.now(),
                    at);
        }
    }

    private boolean isIntact(String key, StoredValue value, WriteRecord seen) {
        if (seen == null || !seen.key().equals(key)) {
            fail(Violation.Kind.INTEGRITY, key, "version %s was never written to this key", value.version());
            return false;
        }
        String body = new String(value.body(), StandardCharsets.UTF_8);
        if (!value.tombstone() && (seen.isDelete() || !seen.value().equals(body))) {
            fail(Violation.Kind.INTEGRITY, key, "version %s came with '%s', but %s", value.version(), body, seen);
            return false;
        }
        return true;
    }

    private void learn(Client client, WriteRecord record, boolean ownWrite) {
        known.merge(
                client.id + "/" + record.key(),
                new Known(record, ownWrite),
                (a, b) -> a.record().version().compareTo(b.record().version()) >= 0 ? a : b);
    }

    /** At the end, after every link healed and every scheduled delivery ran. */
    void checkConvergence(List<Region> regions, Function<String, Region> homeOf, Replication replication) {
        checkDelivery(regions, replication);
        for (WriteRecord newest : latest.values()) {
            String key = newest.key();
            Region home = homeOf.apply(key);
            StoredValue atHome = valueIn(home, key);
            for (Region region : regions) {
                checkFinalState(region, home, atHome, newest, valueIn(region, key));
            }
        }
        for (Database.Row row : database.rows()) {
            for (Region region : regions) {
                checkFinalRow(region, row, valueIn(region, row.key()));
            }
        }
    }

    private void checkFinalRow(Region region, Database.Row row, StoredValue there) {
        if (there == null || there.tombstone()) {
            return;
        }
        WriteRecord held = writes.get(there.version());
        long heldRow = rowVersion(held);
        long newest = newestRows.getOrDefault(row.key(), 0L);
        if (row.deleted() && heldRow <= row.version()) {
            fail(
                    Violation.Kind.STALE_FILL,
                    row.key(),
                    "%s holds %s (row version %d); the row was deleted at version %d",
                    region,
                    held,
                    heldRow,
                    row.version());
        } else if (heldRow < newest) {
            fail(
                    Violation.Kind.STALE_FILL,
                    row.key(),
                    "%s holds %s (row version %d); a write of row version %d was taken",
                    region,
                    held,
                    heldRow,
                    newest);
        }
    }

    /** @return the row version of a row key's write: its content's, or the external version of a delete */
    private long rowVersion(WriteRecord record) {
        return record.isDelete() ? record.externalVersion().getAsLong() : database.versionOf(record.value());
    }

    private void checkFinalState(
            Region region, Region home, StoredValue atHome, WriteRecord newest, StoredValue there) {
        String key = newest.key();
        boolean live = there != null && !there.tombstone();
        if (live && !there.version().equals(newest.version())) {
            fail(
                    Violation.Kind.CONVERGENCE,
                    key,
                    "%s holds %s; newest is %s, home %s holds %s",
                    region,
                    writes.get(there.version()),
                    newest,
                    home,
                    describe(atHome));
        } else if (!live && newest.surelyLiveAt(time.now(), marginMillis)) {
            fail(
                    Violation.Kind.CONVERGENCE,
                    key,
                    "%s holds %s; newest is %s, live for %d ms more, home %s holds %s",
                    region,
                    describe(there),
                    newest,
                    newest.expiresAtMillis() - time.now(),
                    home,
                    describe(atHome));
        }
    }

    private void checkDelivery(List<Region> regions, Replication replication) {
        if (!replication.drained()) {
            fail(Violation.Kind.DELIVERY, "-", "deliveries still pending after the drain");
        }
        for (Region consumer : regions) {
            for (Region source : regions) {
                if (consumer.appliedPrefix(source) != source.logSize()) {
                    fail(
                            Violation.Kind.DELIVERY,
                            "-",
                            "%s applied %d of %d events of %s",
                            consumer,
                            consumer.appliedPrefix(source),
                            source.logSize(),
                            source);
                }
            }
        }
    }

    private String describe(StoredValue value) {
        if (value == null) {
            return "nothing";
        }
        return (value.tombstone() ? "tombstone of " : "") + writes.get(value.version());
    }

    private static StoredValue valueIn(Region region, String key) {
        ReplicaStore.Entry entry = region.store.get(key);
        return entry == null ? null : entry.value();
    }

    private void fail(Violation.Kind kind, String key, String format, Object... args) {
        violations.add(new Violation(kind, key, time.now() - startMillis, String.format(format, args)));
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    long writesExecuted() {
        return writes.size();
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.version.Version;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Cache-aside clients over the {@link Database} rows, each staying in its region without a session token, racing to
 * put old rows back:
 *
 * <ul>
 *   <li>a <b>filler</b> reads a row's key; on a miss (not found or a tombstone) it asks the home for a fill lease,
 *       unless it fills with the external version alone; then it reads the row from the database, and after a random
 *       delay (a slow database, a pause) puts the row's content with the lease, the row version as external version,
 *       or both, as the filler was set up to (seeded). A lease-only filler that got no lease does not put. A filler
 *       gives up on a 503 or 409: a fill is an optimisation;
 *   <li>an <b>updater</b> changes a row, then fixes the cache: after a delete of the row, or after an update (with
 *       {@code invalidateShare}), it deletes the key with the new row version as external version; after the other
 *       updates it puts the new content with it. It retries a 503 until the home answers, as a change-data-capture
 *       invalidator does, so that the cache learns every change; a 409 (a newer row version is stored) ends it. A put
 *       is retried only within the longest fill delay (a later one would be a stale fill outside the stale-fill bound
 *       of {@link SimulationConfig}), then the updater deletes instead.
 * </ul>
 *
 * Between a filler's database read and its put, updaters may change or delete the row: the stale fills that
 * {@link ConditionalWrites} must refuse and {@link ConsistencyChecker} watches for.
 */
final class CacheAsideWorkload {

    /** What a filler's put carries. */
    enum FillMode {
        LEASE,
        EXTERNAL_VERSION,
        LEASE_AND_EXTERNAL_VERSION;

        boolean usesLease() {
            return this != EXTERNAL_VERSION;
        }

        boolean usesExternalVersion() {
            return this != LEASE;
        }
    }

    private record Filler(Client client, FillMode mode) {}

    private final Scheduler time;
    private final Random random;
    private final SimulationConfig config;
    private final List<Region> regions;
    private final Gateways gateways;
    private final Database database;
    private final List<String> keys;
    private final ConsistencyChecker checker;
    private final Trace trace;
    private final long endMillis;
    private long stalePuts;

    CacheAsideWorkload(
            Scheduler time,
            Random random,
            SimulationConfig config,
            List<Region> regions,
            Gateways gateways,
            Database database,
            ConsistencyChecker checker,
            Trace trace) {
        this.time = time;
        this.random = random;
        this.config = config;
        this.regions = regions;
        this.gateways = gateways;
        this.database = database;
        this.keys = database.rows().stream().map(Database.Row::key).toList();
        this.checker = checker;
        this.trace = trace;
        this.endMillis = time.now() + config.workload().durationMillis();
    }

    /** Starts the fillers and updaters; their client ids follow {@code firstClientId}. */
    void start(int firstClientId) {
        SimulationConfig.CacheAside shape = config.workload().cacheAside();
        int id = firstClientId;
        for (int i = 0; i < shape.fillers(); i++, id++) {
            FillMode mode = FillMode.values()[random.nextInt(FillMode.values().length)];
            thinkThenFill(new Filler(new Client(id, true, regions.get(id % regions.size())), mode));
        }
        for (int i = 0; i < shape.updaters(); i++, id++) {
            thinkThenChange(new Client(id, true, regions.get(id % regions.size())));
        }
    }

    /** @return how many fills put a row that had changed since they read it */
    long stalePuts() {
        return stalePuts;
    }

    private void thinkThenFill(Filler filler) {
        long at = time.now() + 1 + random.nextInt((int) config.workload().maxThinkMillis());
        if (at < endMillis) {
            time.at(at, () -> read(filler, keys.get(random.nextInt(keys.size()))));
        }
    }

    private void read(Filler filler, String key) {
        Client client = filler.client();
        long startedAt = time.now();
        Region at = client.region;
        Version floor = checker.deleteFloor(at, key);
        gateways.get(at, key, client.token, answer -> {
            if (answer.isEmpty()) {
                trace(key, "%s in %s read: 503", client, at);
                thinkThenFill(filler);
                return;
            }
            Gateways.Read read = answer.get();
            trace(key, "%s in %s read %s (%s)", client, at, Trace.describe(read.value()), read.servedBy());
            checker.read(client, at, key, startedAt, floor, read.value());
            if (read.value() != null && !read.value().tombstone()) {
                thinkThenFill(filler);
            } else if (filler.mode().usesLease()) {
                gateways.lease(at, key, lease -> readRowThenPut(filler, key, lease));
            } else {
                readRowThenPut(filler, key, Optional.empty());
            }
        });
    }

    private void readRowThenPut(Filler filler, String key, Optional<ConditionalWrites.Lease> lease) {
        if (filler.mode() == FillMode.LEASE && lease.isEmpty()) {
            trace(key, "%s got no lease: does not fill", filler.client());
            thinkThenFill(filler);
            return;
        }
        Database.Row row = database.read(key);
        trace(key, "%s (%s) reads %s", filler.client(), filler.mode(), row);
        if (row.deleted()) {
            thinkThenFill(filler);
            return;
        }
        ConditionalWrites.Conditions conditions = new ConditionalWrites.Conditions(
                filler.mode().usesLease() ? lease : Optional.empty(),
                filler.mode().usesExternalVersion() ? OptionalLong.of(row.version()) : OptionalLong.empty());
        long delay = random.nextInt((int) config.workload().cacheAside().maxFillDelayMillis() + 1);
        time.after(delay, () -> fill(filler, row, conditions));
    }

    private void fill(Filler filler, Database.Row row, ConditionalWrites.Conditions conditions) {
        Client client = filler.client();
        Region at = client.region;
        if (database.read(row.key()).version() != row.version()) {
            stalePuts++;
        }
        long ttl = config.ttls().draw(random);
        gateways.putIf(at, row.key(), row.content(), ttl, conditions, client.token, answer -> {
            decided(client, at, row, answer);
            thinkThenFill(filler);
        });
    }

    private void thinkThenChange(Client updater) {
        long at = time.now() + 1 + random.nextInt((int) config.workload().maxThinkMillis());
        if (at < endMillis) {
            time.at(at, () -> change(updater, keys.get(random.nextInt(keys.size()))));
        }
    }

    private void change(Client updater, String key) {
        SimulationConfig.CacheAside shape = config.workload().cacheAside();
        boolean deleteRow = !database.read(key).deleted() && random.nextDouble() < shape.rowDeleteShare();
        Database.Row row = deleteRow ? database.delete(key) : database.update(key);
        trace(key, "%s changes the database: %s", updater, row);
        if (row.deleted() || random.nextDouble() < shape.invalidateShare()) {
            invalidate(updater, row);
        } else {
            overwrite(updater, row, time.now() + shape.maxFillDelayMillis());
        }
    }

    private void invalidate(Client updater, Database.Row row) {
        Region at = updater.region;
        gateways.deleteIf(at, row.key(), OptionalLong.of(row.version()), updater.token, answer -> {
            if (answer.isEmpty()) {
                retry(updater, row, Long.MAX_VALUE, () -> invalidate(updater, row));
            } else {
                decided(updater, at, row, answer);
                thinkThenChange(updater);
            }
        });
    }

    /** Puts the new row; retried until {@code retryUntil} (the stale-fill bound), then the updater invalidates. */
    private void overwrite(Client updater, Database.Row row, long retryUntil) {
        Region at = updater.region;
        ConditionalWrites.Conditions conditions =
                new ConditionalWrites.Conditions(Optional.empty(), OptionalLong.of(row.version()));
        long ttl = config.ttls().draw(random);
        gateways.putIf(at, row.key(), row.content(), ttl, conditions, updater.token, answer -> {
            if (answer.isEmpty()) {
                retry(updater, row, retryUntil, () -> overwrite(updater, row, retryUntil));
            } else {
                decided(updater, at, row, answer);
                thinkThenChange(updater);
            }
        });
    }

    private void retry(Client updater, Database.Row row, long until, Runnable again) {
        long at = time.now() + 100 + random.nextInt(400);
        if (at <= until) {
            trace(row.key(), "%s in %s write of %s: 503, retries", updater, updater.region, row);
            time.at(at, again);
        } else {
            trace(row.key(), "%s in %s write of %s: 503, invalidates instead", updater, updater.region, row);
            time.at(at, () -> invalidate(updater, row));
        }
    }

    private void decided(Client client, Region at, Database.Row row, Optional<Gateways.Decision> answer) {
        if (answer.isEmpty()) {
            trace(row.key(), "%s in %s write of %s: 503", client, at, row);
        } else if (answer.get().refused()) {
            trace(row.key(), "%s in %s write of %s: 409", client, at, row);
        } else {
            Gateways.Written written = answer.get().written();
            trace(row.key(), "%s in %s got ack of %s", client, at, written.record());
            checker.acknowledged(client, written.record());
        }
    }

    private void trace(String key, String format, Object... args) {
        if (trace.enabled()) {
            trace.log(key, time.now(), format, args);
        }
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.routing.ReadDecision;
import io.meridian.coherence.routing.Route;
import io.meridian.coherence.routing.WriteDecision;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateways' write and read paths (region-gateway's {@code KeyRouter} and {@code KeyCache}), for every region of
 * the model. Where a read is answered and where a write runs is decided by the gateway's own {@link ReadDecision} and
 * {@link WriteDecision}; this class carries their plans out over the model's links and stores. An empty answer is a
 * 503.
 *
 * <ul>
 *   <li>A write or delete runs in the key's home: version from the home's HLC, append to the home's log, apply
 *       locally with set-if-newer. Elsewhere it is forwarded (one round trip; a cut link fails the request, and a
 *       link cut during it loses the reply although the home has written); the forwarding gateway keeps the
 *       acknowledged value or tombstone with set-if-newer (the remote marker).
 *   <li>A read is answered from the local copy when the key is homed here, or when the copy exists and it or the
 *       applied watermark for the home satisfies the client's token; otherwise from the home (a fill, kept locally
 *       with set-if-newer), or 503 when the home is unreachable.
 *   <li>A put or delete may carry a fill lease and an external version, which the home checks in the step that
 *       executes the write ({@link ConditionalWrites}): a refused write (409) is neither logged nor applied, and the
 *       forwarding gateway keeps no marker. A lease is asked for from the home in one round trip.
 * </ul>
 */
final class Gateways {

    static final String NAMESPACE = "sim";
    private static final String TYPE = "text/plain";

    /** A write's ground truth and the client's token after it. */
    record Written(WriteRecord record, SessionToken token) {}

    /** A read's answer (null value: not found) and the client's token after it. */
    record Read(StoredValue value, String home, String servedBy, SessionToken token) {}

    /** A conditional write's answer: what was written, or null when the home refused it (409). */
    record Decision(Written written) {

        boolean refused() {
            return written == null;
        }
    }

    private final Scheduler time;
    private final Network network;
    private final Replication replication;
    private final ConsistencyChecker checker;
    private final Function<String, Region> homeOf;
    private final Fills fills;
    private final ConditionalWrites conditions;
    private final Random random;
    private final long maxLatencyMillis;
    private final long tombstoneTtlMillis;
    private final Trace trace;

    Gateways(
            Scheduler time,
            Network network,
            Replication replication,
            ConsistencyChecker checker,
            Function<String, Region> homeOf,
            Random random,
            SimulationConfig config,
            Trace trace) {
        this.time = time;
        this.network = network;
        this.replication = replication;
        this.checker = checker;
        this.homeOf = homeOf;
        this.random = random;
        this.maxLatencyMillis = config.faults().maxLinkLatencyMillis();
        this.tombstoneTtlMillis = config.ttls().tombstoneTtlMillis();
        this.trace = trace;
        this.fills = new Fills(
                time, network, random, maxLatencyMillis, config.protocol().fillCoalescing());
        this.conditions = new ConditionalWrites(config.protocol(), config.ttls().leaseTtlMillis());
    }

    void put(
            Region at, String key, String value, long ttlMillis, SessionToken token, Consumer<Optional<Written>> done) {
        putIf(at, key, value, ttlMillis, ConditionalWrites.Conditions.NONE, token, unconditional(done));
    }

    /** A put with a lease and/or an external version; empty answer: 503. */
    void putIf(
            Region at,
            String key,
            String value,
            long ttlMillis,
            ConditionalWrites.Conditions carried,
            SessionToken token,
            Consumer<Optional<Decision>> done) {
        Region home = homeOf.apply(key);
        executeAtHome(at, home, done, token, () -> writeAtHome(home, key, value, ttlMillis, carried), record -> {
            long left = record.expiresAtMillis() - at.clock.millis();
            at.store.keepCopy(key, StoredValue.value(record.version(), TYPE, bytes(value)), left);
        });
    }

    void delete(Region at, String key, SessionToken token, Consumer<Optional<Written>> done) {
        deleteIf(at, key, OptionalLong.empty(), token, unconditional(done));
    }

    /** A delete that leaves {@code externalVersion} (if any) with the home's tombstone; empty answer: 503. */
    void deleteIf(
            Region at,
            String key,
            OptionalLong externalVersion,
            SessionToken token,
            Consumer<Optional<Decision>> done) {
        Region home = homeOf.apply(key);
        executeAtHome(
                at,
                home,
                done,
                token,
                () -> deleteAtHome(home, key, externalVersion),
                record -> at.store.keepCopy(key, StoredValue.tombstone(record.version()), tombstoneTtlMillis));
    }

    /** Asks the key's home for a fill lease in one round trip; empty when none is handed out or the home is cut off. */
    void lease(Region at, String key, Consumer<Optional<ConditionalWrites.Lease>> done) {
        Region home = homeOf.apply(key);
        if (at == home) {
            done.accept(issueLease(home, key));
            return;
        }
        if (!network.connected(at, home)) {
            done.accept(Optional.empty());
            return;
        }
        time.after(latency(), () -> {
            if (!network.connected(at, home)) {
                done.accept(Optional.empty());
                return;
            }
            Optional<ConditionalWrites.Lease> lease = issueLease(home, key);
            time.after(latency(), () -> done.accept(network.connected(at, home) ? lease : Optional.empty()));
        });
    }

    /**
     * A read, decided by the gateway's own {@link ReadDecision}: the local copy ({@code LOCAL}) or a fill from the home
     * ({@code FILL_FROM_HOME}); any other plan (the model has no origin, no degradation and no cache rebuild) is a 503.
     */
    void get(Region at, String key, SessionToken token, Consumer<Optional<Read>> done) {
        Region home = homeOf.apply(key);
        ReplicaStore.Entry local = at.store.get(key);
        StoredEntry copy = local == null
                ? StoredEntry.ABSENT
                : new StoredEntry(local.value(), local.expiresAtMillis() - at.clock.millis());
        ReadDecision.Plan plan = ReadDecision.decide(new ReadDecision.Facts(
                at.name,
                Route.at(home.name),
                copy,
                token,
                source -> source.equals(home.name) ? at.watermark(home).orElse(-1) : -1,
                true,
                0,
                false,
                false,
                false,
                false,
                true));
        switch (plan) {
            case LOCAL -> done.accept(Optional.of(answer(copy.value(), home, "local", token)));
            case FILL_FROM_HOME ->
                fills.fill(
                        at,
                        home,
                        key,
                        token,
                        fetched -> done.accept(fetched.map(f -> {
                            trace(key, "%s fill from %s answers %s", at, home, Trace.describe(f.value()));
                            return answer(f.value(), home, "home", token);
                        })));
            default -> {
                trace(key, "%s answers 503 (%s)", at, plan);
                done.accept(Optional.empty());
            }
        }
    }

    long fillCount() {
        return fills.count();
    }

    long fillsRefusedByTombstone() {
        return fills.refusedByTombstone();
    }

    ConditionalWrites conditions() {
        return conditions;
    }

    private Optional<ConditionalWrites.Lease> issueLease(Region home, String key) {
        Optional<ConditionalWrites.Lease> lease = conditions.issue(home, key);
        trace(key, "%s %s", home, lease.map(issued -> "issues " + issued).orElse("hands out no lease"));
        return lease;
    }

    /** An unconditional write is never refused: its decision always carries what was written. */
    private static Consumer<Optional<Decision>> unconditional(Consumer<Optional<Written>> done) {
        return decision -> done.accept(decision.map(Decision::written));
    }

    private static Read answer(StoredValue value, Region home, String servedBy, SessionToken token) {
        SessionToken seen = value == null ? token : token.with(home.name, value.version());
        return new Read(value, home.name, servedBy, seen);
    }

    /**
     * Runs {@code write} in the home (empty: refused): directly, or forwarded with a request and a reply that may each
     * be lost.
     */
    private void executeAtHome(
            Region at,
            Region home,
            Consumer<Optional<Decision>> done,
            SessionToken token,
            Supplier<Optional<WriteRecord>> write,
            Consumer<WriteRecord> keepMarker) {
        if (plan(at, home, false) == WriteDecision.Plan.EXECUTE) {
            done.accept(Optional.of(decision(write.get(), home, token)));
            return;
        }
        if (!network.connected(at, home)) {
            done.accept(Optional.empty());
            return;
        }
        time.after(latency(), () -> {
            if (!network.connected(at, home)) {
                done.accept(Optional.empty());
                return;
            }
            Optional<WriteRecord> record =
                    plan(home, home, true) == WriteDecision.Plan.EXECUTE ? write.get() : Optional.empty();
            time.after(latency(), () -> replyToForwarder(at, home, record, token, keepMarker, done));
        });
    }

    /**
     * The gateway's own {@link WriteDecision} for a key homed in {@code home}, in {@code at}: {@code FORWARD} or {@code
     * EXECUTE} here, where the model has no handovers, fences or cache rebuilds (see {@link HomeWrites} for those).
     */
    private static WriteDecision.Plan plan(Region at, Region home, boolean forwarded) {
        return WriteDecision.decide(new WriteDecision.Facts(
                at.name, home.name, home.name, forwarded, Optional.empty(), 0, false, true, Optional.empty(), true));
    }

    private void replyToForwarder(
            Region at,
            Region home,
            Optional<WriteRecord> record,
            SessionToken token,
            Consumer<WriteRecord> keepMarker,
            Consumer<Optional<Decision>> done) {
        if (!network.connected(at, home)) {
            record.ifPresent(lost -> trace(lost.key(), "%s lost the reply to %s", at, lost));
            done.accept(Optional.empty());
            return;
        }
        record.ifPresent(kept -> {
            keepMarker.accept(kept);
            trace(kept.key(), "%s keeps marker %s", at, kept);
        });
        done.accept(Optional.of(decision(record, home, token)));
    }

    /**
     * {@code KeyCache.put}: the lease and external version checks, then log first, then set-if-newer with the
     * client's TTL; the home keeps the external version with the value. Empty when refused.
     */
    private Optional<WriteRecord> writeAtHome(
            Region home, String key, String value, long ttlMillis, ConditionalWrites.Conditions carried) {
        if (!conditions.admitsPut(home, key, carried)) {
            trace(key, "%s refuses '%s' (%s): 409", home, value, carried);
            return Optional.empty();
        }
        OptionalLong stored = conditions.toStore(home, key, carried.externalVersion());
        Version version = home.nextVersion();
        long expiresAt = version.wallMillis() + ttlMillis;
        WriteRecord record = new WriteRecord(key, version, value, expiresAt, carried.externalVersion());
        append(home, new CacheEvent.Write(NAMESPACE, key, version, expiresAt, TYPE, bytes(value)), record);
        home.store.setIfNewer(key, StoredValue.value(version, TYPE, bytes(value)), stored, ttlMillis);
        return Optional.of(record);
    }

    /**
     * {@code KeyCache.delete}: the external version check, then log first, then a tombstone (with the external
     * version) for the tombstone TTL. Empty when refused.
     */
    private Optional<WriteRecord> deleteAtHome(Region home, String key, OptionalLong externalVersion) {
        if (!conditions.admitsDelete(home, key, externalVersion)) {
            trace(key, "%s refuses delete (external version %s): 409", home, externalVersion);
            return Optional.empty();
        }
        OptionalLong stored = conditions.toStore(home, key, externalVersion);
        Version version = home.nextVersion();
        WriteRecord record = WriteRecord.delete(key, version, externalVersion);
        append(home, new CacheEvent.Delete(NAMESPACE, key, version), record);
        home.store.setIfNewer(key, StoredValue.tombstone(version), stored, tombstoneTtlMillis);
        return Optional.of(record);
    }

    private void append(Region home, CacheEvent event, WriteRecord record) {
        checker.executed(record);
        if (trace.enabled()) {
            String expiry = record.isDelete() ? "" : " expiring in " + (record.expiresAtMillis() - time.now()) + " ms";
            trace(record.key(), "%s executes %s%s", home, record, expiry);
        }
        replication.publish(home, home.append(event));
    }

    private static Decision decision(Optional<WriteRecord> record, Region home, SessionToken token) {
        return new Decision(record.map(written -> new Written(written, token.with(home.name, written.version())))
                .orElse(null));
    }

    private long latency() {
        return 1 + random.nextInt((int) maxLatencyMillis);
    }

    private void trace(String key, String format, Object... args) {
        if (trace.enabled()) {
            trace.log(key, time.now(), format, args);
        }
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

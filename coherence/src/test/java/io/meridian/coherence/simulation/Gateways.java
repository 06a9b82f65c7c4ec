package io.meridian.coherence.simulation;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gateways' write and read paths (region-gateway's {@code KeyRouter} and {@code KeyCache}), for every region of
 * the model. An empty answer is a 503.
 *
 * <ul>
 *   <li>A write or delete runs in the key's home: version from the home's HLC, append to the home's log, apply
 *       locally with set-if-newer. Elsewhere it is forwarded (one round trip; a cut link fails the request, and a
 *       link cut during it loses the reply although the home has written); the forwarding gateway keeps the
 *       acknowledged value or tombstone with set-if-newer (the remote marker).
 *   <li>A read is answered from the local copy when the key is homed here, or when the copy exists and it or the
 *       applied watermark for the home satisfies the client's token; otherwise from the home (a fill, kept locally
 *       with set-if-newer), or 503 when the home is unreachable.
 * </ul>
 */
final class Gateways {

    static final String NAMESPACE = "sim";
    private static final String TYPE = "text/plain";

    /** A write's ground truth and the client's token after it. */
    record Written(WriteRecord record, SessionToken token) {}

    /** A read's answer (null value: not found) and the client's token after it. */
    record Read(StoredValue value, String home, String servedBy, SessionToken token) {}

    private final Scheduler time;
    private final Network network;
    private final Replication replication;
    private final ConsistencyChecker checker;
    private final Function<String, Region> homeOf;
    private final Fills fills;
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
    }

    void put(
            Region at, String key, String value, long ttlMillis, SessionToken token, Consumer<Optional<Written>> done) {
        Region home = homeOf.apply(key);
        executeAtHome(at, home, done, token, () -> writeAtHome(home, key, value, ttlMillis), record -> {
            long left = record.expiresAtMillis() - at.clock.millis();
            at.store.keepCopy(key, StoredValue.value(record.version(), TYPE, bytes(value)), left);
        });
    }

    void delete(Region at, String key, SessionToken token, Consumer<Optional<Written>> done) {
        Region home = homeOf.apply(key);
        executeAtHome(
                at,
                home,
                done,
                token,
                () -> deleteAtHome(home, key),
                record -> at.store.keepCopy(key, StoredValue.tombstone(record.version()), tombstoneTtlMillis));
    }

    void get(Region at, String key, SessionToken token, Consumer<Optional<Read>> done) {
        Region home = homeOf.apply(key);
        ReplicaStore.Entry local = at.store.get(key);
        if (at == home || (local != null && isFreshEnough(at, home, local, token))) {
            done.accept(Optional.of(answer(local == null ? null : local.value(), home, "local", token)));
            return;
        }
        fills.fill(
                at,
                home,
                key,
                token,
                fetched -> done.accept(fetched.map(f -> {
                    trace(key, "%s fill from %s answers %s", at, home, Trace.describe(f.value()));
                    return answer(f.value(), home, "home", token);
                })));
    }

    long fillCount() {
        return fills.count();
    }

    long fillsRefusedByTombstone() {
        return fills.refusedByTombstone();
    }

    /** {@code KeyRouter.isFreshEnough}: the copy, or the applied watermark for its home, has passed the token. */
    private static boolean isFreshEnough(Region at, Region home, ReplicaStore.Entry local, SessionToken token) {
        Optional<Version> required = token.seenFrom(home.name);
        if (required.isEmpty()) {
            return true;
        }
        return token.isSatisfiedBy(home.name, local.value().version())
                || at.watermark(home).orElse(-1) >= required.get().hlc();
    }

    private static Read answer(StoredValue value, Region home, String servedBy, SessionToken token) {
        SessionToken seen = value == null ? token : token.with(home.name, value.version());
        return new Read(value, home.name, servedBy, seen);
    }

    /** Runs {@code write} in the home: directly, or forwarded with a request and a reply that may each be lost. */
    private void executeAtHome(
            Region at,
            Region home,
            Consumer<Optional<Written>> done,
            SessionToken token,
            Supplier<WriteRecord> write,
            Consumer<WriteRecord> keepMarker) {
        if (at == home) {
            done.accept(Optional.of(written(write.get(), home, token)));
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
            WriteRecord record = write.get();
            time.after(latency(), () -> replyToForwarder(at, home, record, token, keepMarker, done));
        });
    }

    private void replyToForwarder(
            Region at,
            Region home,
            WriteRecord record,
            SessionToken token,
            Consumer<WriteRecord> keepMarker,
            Consumer<Optional<Written>> done) {
        if (!network.connected(at, home)) {
            trace(record.key(), "%s lost the reply to %s", at, record);
            done.accept(Optional.empty());
            return;
        }
        keepMarker.accept(record);
        trace(record.key(), "%s keeps marker %s", at, record);
        done.accept(Optional.of(written(record, home, token)));
    }

    /** {@code KeyCache.put}: log first, then set-if-newer with the client's TTL. */
    private WriteRecord writeAtHome(Region home, String key, String value, long ttlMillis) {
        Version version = home.nextVersion();
        long expiresAt = version.wallMillis() + ttlMillis;
        WriteRecord record = new WriteRecord(key, version, value, expiresAt);
        append(home, new CacheEvent.Write(NAMESPACE, key, version, expiresAt, TYPE, bytes(value)), record);
        home.store.setIfNewer(key, StoredValue.value(version, TYPE, bytes(value)), ttlMillis);
        return record;
    }

    /** {@code KeyCache.delete}: log first, then a tombstone for the tombstone TTL. */
    private WriteRecord deleteAtHome(Region home, String key) {
        Version version = home.nextVersion();
        WriteRecord record = WriteRecord.delete(key, version);
        append(home, new CacheEvent.Delete(NAMESPACE, key, version), record);
        home.store.setIfNewer(key, StoredValue.tombstone(version), tombstoneTtlMillis);
        return record;
    }

    private void append(Region home, CacheEvent event, WriteRecord record) {
        checker.executed(record);
        if (trace.enabled()) {
            String expiry = record.isDelete() ? "" : " expiring in " + (record.expiresAtMillis() - time.now()) + " ms";
            trace(record.key(), "%s executes %s%s", home, record, expiry);
        }
        replication.publish(home, home.append(event));
    }

    private static Written written(WriteRecord record, Region home, SessionToken token) {
        return new Written(record, token.with(home.name, record.version()));
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

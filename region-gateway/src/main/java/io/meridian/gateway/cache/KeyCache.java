package io.meridian.gateway.cache;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.api.MeridianException;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.kafka.EventLog;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The keys API's read and write paths in the key's home region.
 *
 * <p>Writes go log first (docs/coherence.md): the event is appended to this region's Kafka topic and only then
 * applied to Redis with set-if-newer. If the append fails nothing was applied and the client gets 503. If the apply
 * fails after the append, the event is in the log and the region's replicator applies it; the client still gets 503
 * because this gateway cannot promise that it can read the value back yet.
 */
@ApplicationScoped
public class KeyCache {

    private final RegionStore store;
    private final EventLog log;
    private final HybridLogicalClock clock;
    private final Regions regions;
    private final GatewayMetrics metrics;
    private final Duration tombstoneTtl;
    private final int eventValueLimit;

    public KeyCache(
            RegionStore store,
            EventLog log,
            HybridLogicalClock clock,
            Regions regions,
            GatewayMetrics metrics,
            MeridianConfig config) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.regions = regions;
        this.metrics = metrics;
        this.tombstoneTtl = config.tombstoneTtl();
        this.eventValueLimit = config.eventLog().maxValueBytes();
    }

    /** Stores a value: append its event, then apply it locally. */
    public Uni<WriteResult> put(String namespace, String key, byte[] body, String contentType, Duration ttl) {
        Version version = nextVersion();
        long expiresAt = version.wallMillis() + ttl.toMillis();
        byte[] carried = body.length <= eventValueLimit ? body : null;
        CacheEvent event = new CacheEvent.Write(namespace, key, version, expiresAt, contentType, carried);
        StoredValue stored = StoredValue.value(version, contentType, body);
        return appendToLog(event)
                .chain(() -> applyLocally(store.setIfNewer(namespace, key, stored, ttl)))
                .map(applied -> new WriteResult(
                        key,
                        version.toHex(),
                        regions.self(),
                        Instant.ofEpochMilli(expiresAt).toString()));
    }

    /** Deletes a key: append the delete, then leave a tombstone carrying its version. Idempotent. */
    public Uni<WriteResult> delete(String namespace, String key) {
        Version version = nextVersion();
        CacheEvent event = new CacheEvent.Delete(namespace, key, version);
        StoredValue tombstone = StoredValue.tombstone(version);
        return appendToLog(event)
                .chain(() -> applyLocally(store.tombstoneIfNewer(namespace, key, tombstone, tombstoneTtl)))
                .map(applied -> new WriteResult(key, version.toHex(), regions.self(), null));
    }

    /** Reads a key from this region's Redis; empty when absent or deleted. */
    public Uni<Optional<ReadResult>> get(String namespace, String key) {
        return store.get(namespace, key)
                .onFailure()
                .transform(KeyCache::redisUnavailable)
                .map(entry -> found(namespace, entry));
    }

    /** Reads many keys of one namespace; one script call per key, pipelined by the client. */
    public Uni<List<Optional<ReadResult>>> getAll(String namespace, List<String> keys) {
        List<Uni<Optional<ReadResult>>> reads =
                keys.stream().map(key -> get(namespace, key)).toList();
        return Uni.join().all(reads).andFailFast();
    }

    private Optional<ReadResult> found(String namespace, StoredEntry entry) {
        if (!entry.isLive()) {
            metrics.miss(namespace);
            return Optional.empty();
        }
        metrics.hit(namespace);
        return Optional.of(new ReadResult(entry.value(), regions.self(), "local", entry.remainingTtlMillis()));
    }

    private Version nextVersion() {
        return new Version(clock.now(), regions.originId());
    }

    private Uni<Void> appendToLog(CacheEvent event) {
        long started = System.nanoTime();
        return log.append(event)
                .onItemOrFailure()
                .invoke((metadata, failure) -> metrics.produced(System.nanoTime() - started, failure == null))
                .onFailure()
                .transform(KeyCache::logUnavailable)
                .replaceWithVoid();
    }

    private static Uni<Boolean> applyLocally(Uni<Boolean> apply) {
        return apply.onFailure().transform(KeyCache::appliedFromLogLater);
    }

    private static Throwable logUnavailable(Throwable failure) {
        return MeridianException.unavailable(
                "event-log-unavailable",
                "the event log (Kafka) did not accept the write, so nothing was written: " + failure.getMessage());
    }

    private static Throwable appliedFromLogLater(Throwable failure) {
        return MeridianException.unavailable(
                "redis-unavailable",
                "the write is in the event log and will be applied by the replicator, but Redis could not be updated"
                        + " now: " + failure.getMessage());
    }

    private static Throwable redisUnavailable(Throwable failure) {
        return MeridianException.unavailable("redis-unavailable", "Redis did not answer: " + failure.getMessage());
    }
}

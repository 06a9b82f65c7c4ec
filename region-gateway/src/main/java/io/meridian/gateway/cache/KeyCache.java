package io.meridian.gateway.cache;

import com.netflix.concurrency.limits.Limiter;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.conditions.KeyLocks;
import io.meridian.gateway.conditions.WriteConditions;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.NamespaceConfig.KafkaOutagePolicy;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.degradation.WriteLimit;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.hotkeys.HotKeyReplicas;
import io.meridian.gateway.kafka.EventLog;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.origin.OriginWrites;
import io.meridian.gateway.purge.Purges;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * This region's half of the keys API: writes executed here as the key's home, and this region's Redis.
 *
 * <p>Writes go log first (docs/coherence.md): the event is appended to this region's Kafka topic and only then
 * applied to Redis with set-if-newer. If the append fails nothing was applied and the client gets 503. If the apply
 * fails after the append, the event is in the log and the region's replicator applies it; the client still gets 503
 * because this gateway cannot promise that it can read the value back yet.
 *
 * <p>Over 300 lines because the write path's order (conditions under the key lock, origin write-through, log append,
 * local apply and its invalidations) reads best in one place; each step it calls lives in its own class.
 */
@ApplicationScoped
public class KeyCache {

    private final RegionStore store;
    private final HotKeyReplicas replicas;
    private final EventLog log;
    private final Regions regions;
    private final GatewayMetrics metrics;
    private final KeyLocks locks;
    private final OriginWrites originWrites;
    private final Purges purges;
    private final io.meridian.coherence.clock.HybridLogicalClock clock;
    private final Map<String, NamespaceConfig> namespaces;
    private final Duration tombstoneTtl;
    private final Duration lockHold;
    private final Duration lockWait;
    private final int eventValueLimit;
    private final WriteLimit writeLimit;

    public KeyCache(
            RegionStore store,
            EventLog log,
            Regions regions,
            GatewayMetrics metrics,
            KeyLocks locks,
            OriginWrites originWrites,
            Purges purges,
            HotKeyReplicas replicas,
            io.meridian.coherence.clock.HybridLogicalClock clock,
            WriteLimit writeLimit,
            MeridianConfig config) {
        this.writeLimit = writeLimit;
        this.replicas = replicas;
        this.clock = clock;
        this.store = store;
        this.log = log;
        this.regions = regions;
        this.metrics = metrics;
        this.locks = locks;
        this.originWrites = originWrites;
        this.purges = purges;
        this.tombstoneTtl = config.tombstoneTtl();
        this.namespaces = config.namespaces();
        this.eventValueLimit = config.eventLog().maxValueBytes();
        // Held through an origin write, the append and the apply; waited for at most half a request.
        this.lockHold = config.requestTimeout().multipliedBy(3);
        this.lockWait = config.requestTimeout().dividedBy(2);
    }

    /** Keys homed in this region are never moved to another generation (only copies of other regions' keys are). */
    private static final long OWN_GENERATION = 0;

    /** Stores a value as its home region, unconditionally. */
    public Uni<WriteResult> put(String namespace, String key, byte[] body, String contentType, Duration ttl) {
        return put(namespace, key, body, contentType, ttl, WriteConditions.NONE);
    }

    /**
     * Stores a value as its home region: checks the write's conditions (under the key's write lock), sends it to the
     * origin first in a write-through namespace, appends its event, then applies it locally.
     */
    public Uni<WriteResult> put(
            String namespace, String key, byte[] body, String contentType, Duration ttl, WriteConditions conditions) {
        byte[] carried = body.length <= eventValueLimit ? body : null;
        long external = conditions.externalVersionOrNone();
        return admitted(() -> decided(
                        namespace,
                        key,
                        conditions,
                        false,
                        () -> writeThrough(
                                        namespace,
                                        () -> originWrites.put(
                                                namespace, key, body, contentType, conditions.externalVersion()))
                                .chain(() -> appendToLog(
                                        namespace,
                                        version -> new CacheEvent.Write(
                                                namespace,
                                                key,
                                                version,
                                                expiry(version, ttl),
                                                contentType,
                                                carried,
                                                external)))
                                .call(appended -> applyLocally(storeIfNewer(
                                        namespace,
                                        key,
                                        OWN_GENERATION,
                                        StoredValue.value(
                                                        appended.version(),
                                                        contentType,
                                                        body,
                                                        expiry(appended.version(), ttl))
                                                .withExternalVersion(external),
                                        ttl))))
                .map(appended -> new WriteResult(
                        key,
                        appended.version().toHex(),
                        regions.self(),
                        Instant.ofEpochMilli(expiry(appended.version(), ttl)).toString(),
                        bufferedOrNull(appended))));
    }

    /** Deletes a key as its home region, unconditionally. */
    public Uni<WriteResult> delete(String namespace, String key) {
        return delete(namespace, key, WriteConditions.NONE);
    }

    /** Deletes a key as its home region: append the delete, then leave a tombstone carrying its version. */
    public Uni<WriteResult> delete(String namespace, String key, WriteConditions conditions) {
        long external = conditions.externalVersionOrNone();
        return admitted(() -> decided(
                        namespace,
                        key,
                        conditions,
                        true,
                        () -> writeThrough(namespace, () -> originWrites.delete(namespace, key))
                                .chain(() -> appendToLog(
                                        namespace, version -> new CacheEvent.Delete(namespace, key, version, external)))
                                .call(appended -> applyLocally(storeIfNewer(
                                        namespace,
                                        key,
                                        OWN_GENERATION,
                                        StoredValue.tombstone(appended.version())
                                                .withExternalVersion(external),
                                        tombstoneTtl))))
                .map(appended -> new WriteResult(
                        key, appended.version().toHex(), regions.self(), null, bufferedOrNull(appended))));
    }

    /**
     * Runs a write this region executes (as the key's home) if the adaptive {@link WriteLimit} admits it, else fails
     * at once with 503 {@code overloaded}, before the write does anything: a refused write never reaches the log.
     * Writes this gateway forwards are limited by their home. The slot is held until the write ends: answered (its
     * latency feeds the limit), cancelled by the request timeout (the limit was too high) or failed fast (ignored).
     */
    private <T> Uni<T> admitted(java.util.function.Supplier<Uni<T>> write) {
        // The slot is taken when the write is subscribed to, so each subscription holds exactly one.
        return Uni.createFrom().deferred(() -> {
            java.util.Optional<Limiter.Listener> slot = writeLimit.acquire();
            if (slot.isEmpty()) {
                metrics.writeRefused();
                return Uni.createFrom()
                        .failure(GatewayFailure.unavailable(
                                "overloaded",
                                "this gateway has " + writeLimit.inFlight() + " writes under way, its limit now (at"
                                        + " most " + writeLimit.ceiling()
                                        + "); nothing was written: retry after Retry-After"));
            }
            Limiter.Listener listener = slot.get();
            return Uni.createFrom().<T>deferred(write::get).onTermination().invoke((item, failure, cancelled) -> {
                if (cancelled) {
                    listener.onDropped();
                } else if (failure instanceof GatewayFailure known
                        && known.kind().retryable()) {
                    listener.onIgnore();
                } else {
                    listener.onSuccess();
                }
            });
        });
    }

    /**
     * Runs a write: at once when it is an unconditional PUT; a conditional write, and every delete, under the key's
     * write lock, after checking its conditions against what this region (the key's home) stores. Conditional writes
     * and deletes of one key are so decided one at a time, each against the previous one's outcome, and each takes a
     * newer version than the state it was decided against: an invalidating delete cannot land between a lease or
     * external-version check and the write it allowed.
     */
    private Uni<EventLog.Appended> decided(
            String namespace,
            String key,
            WriteConditions conditions,
            boolean delete,
            java.util.function.Supplier<Uni<EventLog.Appended>> write) {
        if (!conditions.checksState() && !delete) {
            return write.get();
        }
        return locks.withLock(
                        namespace,
                        key,
                        lockHold,
                        lockWait,
                        () -> current(namespace, key)
                                .invoke(current -> {
                                    conditions.check(current, delete);
                                    // Versions follow the lock order: this write is newer than what it was decided
                                    // against.
                                    if (current.value() != null) {
                                        observe(current.value().version());
                                    }
                                })
                                .chain(current -> write.get()))
                .onFailure(failure -> !(failure instanceof GatewayFailure))
                .transform(KeyCache::redisUnavailable);
    }

    /**
     * Moves this gateway's clock past a stored version, so the write decided against it gets a newer one. A stored
     * version further ahead than the maximum clock offset is not adopted and the write is refused: its version would
     * be older than the state it was decided against.
     */
    private void observe(Version version) {
        try {
            clock.observe(version.hlc());
        } catch (io.meridian.coherence.clock.HybridLogicalClock.TooFarAheadException tooFarAhead) {
            throw GatewayFailure.unavailable("clock-offset", tooFarAhead.getMessage());
        }
    }

    /** This region's copy of its own key as reads see it (a purged copy reads as absent), not counted. */
    public Uni<StoredEntry> current(String namespace, String key) {
        return store.get(namespace, key, OWN_GENERATION)
                .map(entry -> visible(namespace, key, entry))
                .onFailure()
                .transform(KeyCache::redisUnavailable);
    }

    private Uni<Void> writeThrough(String namespace, java.util.function.Supplier<Uni<Void>> originWrite) {
        return originWrites.writesThrough(namespace)
                ? originWrite.get()
                : Uni.createFrom().voidItem();
    }

    /** Reads this region's own copy of a key homed here, tombstones included. */
    public Uni<StoredEntry> read(String namespace, String key) {
        return read(namespace, key, OWN_GENERATION);
    }

    /**
     * Reads this region's copy of a key homed in a source whose current generation here is {@code generation};
     * counts hits and misses.
     */
    public Uni<StoredEntry> read(String namespace, String key, long generation) {
        return store.get(namespace, key, generation)
                .map(entry -> visible(namespace, key, entry))
                .onFailure()
                .transform(KeyCache::redisUnavailable)
                .invoke(entry -> count(namespace, entry));
    }

    /**
     * Keeps a copy made elsewhere (a fill from the home region, or a write this gateway forwarded) with set-if-newer,
     * so a copy never replaces a newer version or a newer tombstone.
     */
    public Uni<Boolean> keepCopy(String namespace, String key, long generation, StoredValue value, Duration ttl) {
        Duration keptFor = value.tombstone() ? tombstoneTtl : ttl;
        return storeIfNewer(namespace, key, generation, value, keptFor);
    }

    /** Stores with set-if-newer; a change stored is followed by its near-cache and hot-replica invalidations. */
    private Uni<Boolean> storeIfNewer(String namespace, String key, long generation, StoredValue value, Duration ttl) {
        return store.setIfNewer(namespace, key, generation, value, ttl)
                .call(stored -> stored
                        ? replicas.changed(namespace, key, generation)
                        : Uni.createFrom().voidItem());
    }

    /** A copy covered by a purge is absent to readers (the sweep deletes it later). */
    private StoredEntry visible(String namespace, String key, StoredEntry entry) {
        return entry.value() != null
                        && purges.covers(namespace, key, entry.value().version())
                ? StoredEntry.ABSENT
                : entry;
    }

    /** A value expires a TTL after its version's wall time, in every region. */
    private static long expiry(Version version, Duration ttl) {
        return version.wallMillis() + ttl.toMillis();
    }

    private void count(String namespace, StoredEntry entry) {
        if (entry.isLive()) {
            metrics.hit(namespace);
        } else {
            metrics.miss(namespace);
        }
    }

    /**
     * Appends to the event log, or under the namespace's {@code kafka-outage-policy=buffer} to the region's event
     * buffer when Kafka cannot take the event.
     */
    private Uni<EventLog.Appended> appendToLog(
            String namespace, java.util.function.Function<Version, CacheEvent> eventOf) {
        long started = System.nanoTime();
        return log.append(eventOf, outagePolicy(namespace))
                .onItemOrFailure()
                .invoke((appended, failure) -> produced(started, appended, failure))
                .onFailure(failure -> !(failure instanceof GatewayFailure))
                .transform(KeyCache::logUnavailable);
    }

    private void produced(long started, EventLog.Appended appended, Throwable failure) {
        String outcome = failure != null ? "error" : appended.buffered() ? "buffered" : "ok";
        metrics.produced(System.nanoTime() - started, outcome);
        if (appended != null && appended.buffered()) {
            metrics.eventBuffered();
        } else if (failure instanceof GatewayFailure refused && refused.type().equals("event-buffer-full")) {
            metrics.eventBufferFull();
        }
    }

    /** Internal namespaces (the owner directory) are not configured and never buffer. */
    private KafkaOutagePolicy outagePolicy(String namespace) {
        NamespaceConfig config = namespaces.get(namespace);
        return config == null ? KafkaOutagePolicy.REJECT : config.kafkaOutagePolicy();
    }

    /** {@code buffered} appears in an answer only when true. */
    private static Boolean bufferedOrNull(EventLog.Appended appended) {
        return appended.buffered() ? Boolean.TRUE : null;
    }

    private static Uni<Boolean> applyLocally(Uni<Boolean> apply) {
        return apply.onFailure().transform(KeyCache::appliedFromLogLater);
    }

    private static Throwable logUnavailable(Throwable failure) {
        return GatewayFailure.unavailable(
                "event-log-unavailable",
                "the event log (Kafka) did not accept the write, so nothing was written: " + failure.getMessage());
    }

    private static Throwable appliedFromLogLater(Throwable failure) {
        return GatewayFailure.unavailable(
                "redis-unavailable",
                "the write is in the event log and will be applied by the replicator, but Redis could not be updated"
                        + " now: " + failure.getMessage());
    }

    private static Throwable redisUnavailable(Throwable failure) {
        return GatewayFailure.unavailable("redis-unavailable", "Redis did not answer: " + failure.getMessage());
    }
}

package io.meridian.gateway.origin;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.redis.RedisLease;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.config.TtlPolicy;
import io.meridian.gateway.hotkeys.HotKeyReplicas;
import io.meridian.gateway.identity.VersionOrigin;
import io.meridian.gateway.origin.OriginReadThrough.Loaded;
import io.meridian.gateway.origin.OriginReadThrough.Source;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fills this region's copy of its own keys from the origin, once per region: a gateway takes the key's fill lease
 * ({@link RedisLease}, {@code meridian:lease:<ns>:<key>}) and loads, the region's others wait for its fill and try the
 * lease again if it ends without one. A load takes its version before it calls the origin, so a write or delete made
 * meanwhile is newer and wins; it is stored with set-if-newer, and what is stored is the answer.
 */
final class RegionFill {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final String LEASE_PREFIX = "meridian:lease:";

    private final Namespaces namespaces;
    private final RegionStore store;
    private final HotKeyReplicas replicas;
    private final Redis redis;
    private final RedisLease leases;
    private final HybridLogicalClock clock;
    private final VersionOrigin versionOrigin;
    private final OriginClient client;
    private final TtlPolicy ttls;

    RegionFill(
            Namespaces namespaces,
            RegionStore store,
            HotKeyReplicas replicas,
            Redis redis,
            HybridLogicalClock clock,
            VersionOrigin versionOrigin,
            OriginClient client,
            TtlPolicy ttls) {
        this.namespaces = namespaces;
        this.store = store;
        this.replicas = replicas;
        this.redis = redis;
        this.leases = new RedisLease(redis);
        this.clock = clock;
        this.versionOrigin = versionOrigin;
        this.client = client;
        this.ttls = ttls;
    }

    /** @return the longest a fill may take: two lease periods and one origin call */
    static long deadline(OriginConfig origin) {
        return System.nanoTime()
                + 2 * origin.leaseTtl().toNanos()
                + origin.timeout().toNanos();
    }

    /** Takes the lease and loads, or waits for the holder's fill; tries again if the lease ends without one. */
    Uni<Loaded> one(String ns, String key, OriginConfig origin, StoredEntry local, long deadline) {
        String lease = lease(ns, key);
        String holder = UUID.randomUUID().toString();
        return Uni.createFrom()
                .completionStage(
                        () -> leases.acquire(lease, holder, origin.leaseTtl()).toCompletionStage())
                .chain(taken -> taken
                        ? loadUnlessFilled(ns, key, origin, local)
                                .onTermination()
                                .call(() -> release(lease, holder))
                        : awaitFill(ns, key, origin, local, deadline));
    }

    /** {@code SET NX PX} on every key's lease in one round trip; the keys whose lease {@code holder} took. */
    Uni<List<String>> takeLeases(String ns, List<String> keys, OriginConfig origin, String holder) {
        List<Request> sets = keys.stream()
                .map(key -> RedisLease.acquireRequest(lease(ns, key), holder, origin.leaseTtl()))
                .toList();
        return Uni.createFrom()
                .completionStage(() -> redis.batch(sets).toCompletionStage())
                .map(replies -> {
                    List<String> taken = new ArrayList<>();
                    for (int i = 0; i < keys.size(); i++) {
                        if (replies.get(i) != null) {
                            taken.add(keys.get(i));
                        }
                    }
                    return taken;
                });
    }

    /** With the leases held, looks once more, then loads what is still missing in one batch call. */
    Uni<Map<String, Loaded>> batch(
            String ns, OriginConfig origin, List<String> taken, Map<String, StoredEntry> misses) {
        if (taken.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<StoredEntry>> looks =
                taken.stream().map(key -> store.get(ns, key, 0)).toList();
        return Uni.join().all(looks).andFailFast().chain(now -> {
            Map<String, Loaded> answered = new HashMap<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < taken.size(); i++) {
                String key = taken.get(i);
                if (filledSince(misses.get(key), now.get(i)) && now.get(i).isLive()) {
                    answered.put(key, new Loaded(now.get(i), Source.LOCAL));
                } else {
                    missing.add(key);
                }
            }
            if (missing.isEmpty()) {
                return Uni.createFrom().item(answered);
            }
            Uni<Map<String, Loaded>> fetched = missing.size() == 1
                    ? fetchAndStore(ns, missing.get(0), origin).map(loaded -> Map.of(missing.get(0), loaded))
                    : fetchAndStoreAll(ns, missing, origin);
            return fetched.map(loaded -> {
                answered.putAll(loaded);
                return answered;
            });
        });
    }

    /** Releases the leases {@code holder} took. */
    Uni<Boolean> releaseAll(String ns, List<String> keys, String holder) {
        List<Uni<Boolean>> releases =
                keys.stream().map(key -> release(lease(ns, key), holder)).toList();
        return releases.isEmpty()
                ? Uni.createFrom().item(true)
                : Uni.join().all(releases).andCollectFailures().map(done -> true);
    }

    /** Waits for the fill of the lease holder; takes the lease when it ends without one. */
    Uni<Loaded> awaitFill(String ns, String key, OriginConfig origin, StoredEntry local, long deadline) {
        if (System.nanoTime() > deadline) {
            return Uni.createFrom()
                    .failure(new OriginFailure("no fill of " + key + " arrived while another gateway held its lease"));
        }
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(POLL)
                .chain(() -> store.get(ns, key, 0))
                .chain(entry -> {
                    if (filledSince(local, entry)) {
                        return Uni.createFrom().item(new Loaded(entry, Source.LOCAL));
                    }
                    return Uni.createFrom()
                            .completionStage(
                                    () -> redis.send(Request.cmd(Command.EXISTS).arg(lease(ns, key)))
                                            .toCompletionStage())
                            .chain(exists -> exists != null && exists.toInteger() == 1
                                    ? awaitFill(ns, key, origin, local, deadline)
                                    : one(ns, key, origin, local, deadline));
                });
    }

    /**
     * With the lease held, looks once more: a reader that missed just before another load finished and released the
     * lease must not call the origin again.
     */
    private Uni<Loaded> loadUnlessFilled(String ns, String key, OriginConfig origin, StoredEntry local) {
        return store.get(ns, key, 0)
                .chain(now -> filledSince(local, now) && now.isLive()
                        ? Uni.createFrom().item(new Loaded(now, Source.LOCAL))
                        : fetchAndStore(ns, key, origin));
    }

    private Uni<Loaded> fetchAndStore(String ns, String key, OriginConfig origin) {
        // Taken before the call: a write or delete during the call is newer and wins over this load.
        Version version = new Version(clock.now(), versionOrigin.originId());
        return client.fetch(ns, key, origin).chain(body -> stored(ns, key, version, body));
    }

    private Uni<Map<String, Loaded>> fetchAndStoreAll(String ns, List<String> keys, OriginConfig origin) {
        Version version = new Version(clock.now(), versionOrigin.originId());
        return client.fetchBatch(ns, keys, origin).chain(bodies -> {
            List<Uni<Loaded>> stored = keys.stream()
                    .map(key -> stored(ns, key, version, bodies.get(key)))
                    .toList();
            return Uni.join().all(stored).andFailFast().map(loaded -> {
                Map<String, Loaded> byKey = new HashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    byKey.put(keys.get(i), loaded.get(i));
                }
                return byKey;
            });
        });
    }

    /** Stores what the origin answered with set-if-newer; what is stored then is the answer. */
    private Uni<Loaded> stored(String ns, String key, Version version, Optional<OriginClient.Body> body) {
        if (body.isEmpty()) {
            return Uni.createFrom().item(new Loaded(StoredEntry.ABSENT, Source.ORIGIN));
        }
        NamespaceConfig config = namespaces.all().get(ns);
        byte[] bytes = body.get().bytes();
        if (bytes.length > config.maxValueBytes()) {
            return Uni.createFrom()
                    .failure(new OriginFailure("the origin's value of " + bytes.length + " bytes is over the limit"));
        }
        Duration ttl = ttls.resolve(null, config);
        StoredValue value =
                StoredValue.value(version, body.get().contentType(), bytes, version.wallMillis() + ttl.toMillis());
        return store.setIfNewer(ns, key, 0, value, ttl)
                .call(changed -> changed
                        ? replicas.changed(ns, key, 0)
                        : Uni.createFrom().voidItem())
                .chain(changed -> changed
                        ? Uni.createFrom().item(new Loaded(new StoredEntry(value, ttl.toMillis()), Source.ORIGIN))
                        // A write or delete landed while the origin answered: what is stored now is the answer.
                        : store.get(ns, key, 0).map(entry -> new Loaded(entry, Source.LOCAL)));
    }

    /** A fill (or a write) happened since the miss: something newer than what the miss found is stored. */
    private static boolean filledSince(StoredEntry before, StoredEntry now) {
        if (now.value() == null) {
            return false;
        }
        return before.value() == null
                || now.value().version().compareTo(before.value().version()) > 0;
    }

    private Uni<Boolean> release(String lease, String holder) {
        return Uni.createFrom()
                .completionStage(() -> leases.release(lease, holder).toCompletionStage())
                .onFailure()
                .recoverWithItem(false); // the lease expires by itself
    }

    private static String lease(String ns, String key) {
        return LEASE_PREFIX + ns + ":" + key;
    }
}

package io.meridian.gateway.origin;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.api.MeridianException;
import io.meridian.gateway.cache.Namespaces;
import io.meridian.gateway.cache.Regions;
import io.meridian.gateway.cache.TtlPolicy;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.redis.RegionStore;
import io.meridian.gateway.routing.PathSegments;
import io.meridian.gateway.routing.RegionCircuitBreaker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Read-through for namespaces that name an origin: a miss in the key's home region loads the value from the origin
 * and stores it, with stampede control at two levels.
 *
 * <ul>
 *   <li>Inside one gateway, concurrent misses of a key share one load.
 *   <li>Across the gateways of a region, one gateway at a time holds the key's <b>fill lease</b> ({@code SET NX PX}
 *       in the region's Redis) and calls the origin; the others poll Redis for its fill. A lease whose holder died
 *       expires after {@code lease-ttl} and the next poller takes it.
 * </ul>
 *
 * The loaded value's version is taken <i>before</i> the origin is called and the value is stored with set-if-newer:
 * a write or delete made while the origin answered has a newer version and wins, so a load never brings back data
 * older than an invalidation. When the origin fails (or its circuit breaker is open), a value expired less than
 * {@code stale-if-error} ago is answered, marked stale; otherwise the read answers 503 {@code origin-unavailable}.
 */
@ApplicationScoped
public class OriginReadThrough {

    /** Where a read-through answer came from ({@code Meridian-Source}). */
    public enum Source {
        /** This gateway called the origin. */
        ORIGIN,
        /** Another gateway of the region (the lease holder) filled it, or a write made it meanwhile. */
        LOCAL,
        /** The origin failed; an expired value within {@code stale-if-error}. */
        STALE
    }

    /** The answer of a read-through: the entry (absent when the origin has no such key) and where it came from. */
    public record Loaded(StoredEntry entry, Source source) {}

    private static final Duration POLL = Duration.ofMillis(20);
    private static final String LEASE_PREFIX = "meridian:lease:";

    private final Namespaces namespaces;
    private final RegionStore store;
    private final Redis redis;
    private final HybridLogicalClock clock;
    private final io.meridian.gateway.cache.Regions regions;
    private final GatewayMetrics metrics;
    private final Degradation degradation;
    private final io.meridian.gateway.conditions.KeyLocks locks;
    private final WebClient client;
    private final TtlPolicy ttls =
            new TtlPolicy(() -> ThreadLocalRandom.current().nextDouble());
    private final Map<String, Uni<Loaded>> loadsInFlight = new ConcurrentHashMap<>();
    private final Map<String, RegionCircuitBreaker> breakers = new ConcurrentHashMap<>();
    /** Recent origin load time per namespace, in ms (an exponentially weighted average), XFetch's delta. */
    private final Map<String, Double> loadMillis = new ConcurrentHashMap<>();

    public OriginReadThrough(
            Namespaces namespaces,
            RegionStore store,
            Redis redis,
            HybridLogicalClock clock,
            Regions regions,
            GatewayMetrics metrics,
            Degradation degradation,
            io.meridian.gateway.conditions.KeyLocks locks,
            Vertx vertx) {
        this.locks = locks;
        this.degradation = degradation;
        this.namespaces = namespaces;
        this.store = store;
        this.redis = redis;
        this.clock = clock;
        this.regions = regions;
        this.metrics = metrics;
        this.client = WebClient.create(vertx);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** @return whether a namespace loads its misses from an origin */
    public boolean hasOrigin(String ns) {
        NamespaceConfig config = namespaces.all().get(ns);
        return config != null && config.origin().isPresent();
    }

    /**
     * @return whether an expired value may be answered now while it is reloaded in the background: it expired less
     *     than the namespace's {@code stale-while-revalidate} ago
     */
    public boolean mayServeWhileRevalidating(String ns, StoredEntry local) {
        OriginConfig origin = namespaces.all().get(ns).origin().orElseThrow();
        StoredValue value = local.value();
        return value != null
                && !value.tombstone()
                && local.remainingTtlMillis() <= 0
                && -local.remainingTtlMillis() < origin.staleWhileRevalidate().toMillis();
    }

    /**
     * XFetch: whether a read of the live {@code local} should reload it now, before it expires. True with a
     * probability that rises as the remaining TTL falls towards {@code delta × β × -ln(random)}, where delta is the
     * namespace's recent origin load time.
     */
    public boolean shouldRefreshEarly(String ns, StoredEntry local) {
        OriginConfig origin = namespaces.all().get(ns).origin().orElseThrow();
        double beta = origin.earlyRefreshBeta();
        if (beta <= 0 || !local.isLive() || !degradation.allows(Level.Feature.EARLY_REFRESH)) {
            return false;
        }
        double delta = loadMillis.getOrDefault(ns, (double) origin.timeout().toMillis() / 10);
        double gap = -delta * beta * Math.log(1 - ThreadLocalRandom.current().nextDouble());
        return gap >= local.remainingTtlMillis();
    }

    /** Reloads a key in the background (shared with any load of it under way); the current answer does not wait. */
    public void refreshInBackground(String ns, String key, StoredEntry local) {
        metrics.originRefresh(ns);
        load(ns, key, local).subscribe().with(loaded -> {}, failure -> {});
    }

    /**
     * Answers a read of this region's own key that found {@code local} (not live: absent, expired or deleted) from
     * the origin. Concurrent calls for one key share one load.
     */
    public Uni<Loaded> load(String ns, String key, StoredEntry local) {
        OriginConfig origin = namespaces.all().get(ns).origin().orElseThrow();
        String id = ns + "/" + key;
        return loadsInFlight
                .computeIfAbsent(
                        id,
                        ignored -> loadOnce(ns, key, origin, local)
                                .onTermination()
                                .invoke(() -> loadsInFlight.remove(id))
                                .memoize()
                                .indefinitely())
                .onFailure()
                .recoverWithUni(failure -> staleOrFail(ns, local, origin, failure));
    }

    /** @return whether a namespace's origin loads several keys in one call ({@code batch-url}) */
    public boolean loadsInBatches(String ns) {
        NamespaceConfig config = namespaces.all().get(ns);
        return config != null && config.origin().flatMap(OriginConfig::batchUrl).isPresent();
    }

    /**
     * Answers several own keys that missed together (one MGET) from the origin. The keys no load here is under way
     * for and whose fill lease this gateway takes are loaded in one batch call; the others share the load under way
     * or wait for the lease holder's fill, as in {@link #load}. Every key keeps its own stale-if-error answer.
     */
    public Uni<Map<String, Loaded>> loadAll(String ns, Map<String, StoredEntry> misses) {
        OriginConfig origin = namespaces.all().get(ns).origin().orElseThrow();
        if (origin.batchUrl().isPresent() && misses.size() > 1) {
            startBatch(ns, origin, misses);
        }
        List<String> keys = List.copyOf(misses.keySet());
        List<Uni<Loaded>> loads =
                keys.stream().map(key -> load(ns, key, misses.get(key))).toList();
        return Uni.join().all(loads).andFailFast().map(loaded -> {
            Map<String, Loaded> byKey = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                byKey.put(keys.get(i), loaded.get(i));
            }
            return byKey;
        });
    }

    /**
     * Registers one batch load as the load under way of each key that has none yet. The leases are taken (and the
     * origin called) when the first of those loads is subscribed; a key whose lease another gateway holds waits for
     * that gateway's fill.
     */
    private void startBatch(String ns, OriginConfig origin, Map<String, StoredEntry> misses) {
        List<String> keys = misses.keySet().stream()
                .filter(key -> !loadsInFlight.containsKey(ns + "/" + key))
                .toList();
        if (keys.size() < 2) {
            return;
        }
        String holder = UUID.randomUUID().toString();
        long deadline = System.nanoTime()
                + 2 * origin.leaseTtl().toNanos()
                + origin.timeout().toNanos();
        Uni<List<String>> leased =
                takeLeases(ns, keys, origin, holder).memoize().indefinitely();
        Uni<Map<String, Loaded>> batch = leased.chain(taken ->
                        loadLeased(ns, origin, taken, misses).onTermination().call(() -> releaseAll(ns, taken, holder)))
                .memoize()
                .indefinitely();
        for (String key : keys) {
            String id = ns + "/" + key;
            Uni<Loaded> one = leased.chain(taken -> taken.contains(key)
                            ? batch.map(loaded -> loaded.get(key))
                            : awaitFill(ns, key, origin, misses.get(key), lease(ns, key), deadline))
                    .onTermination()
                    .invoke(() -> loadsInFlight.remove(id))
                    .memoize()
                    .indefinitely();
            loadsInFlight.putIfAbsent(id, one);
        }
    }

    /** {@code SET NX PX} on every key's lease in one round trip; the keys whose lease this holder took. */
    private Uni<List<String>> takeLeases(String ns, List<String> keys, OriginConfig origin, String holder) {
        List<Request> sets = keys.stream()
                .map(key -> Request.cmd(Command.SET)
                        .arg(lease(ns, key))
                        .arg(holder)
                        .arg("NX")
                        .arg("PX")
                        .arg(origin.leaseTtl().toMillis()))
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
    private Uni<Map<String, Loaded>> loadLeased(
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
                    : fetchBatch(ns, missing, origin);
            return fetched.map(loaded -> {
                answered.putAll(loaded);
                return answered;
            });
        });
    }

    private Uni<Boolean> releaseAll(String ns, List<String> keys, String holder) {
        List<Uni<Boolean>> releases =
                keys.stream().map(key -> locks.release(lease(ns, key), holder)).toList();
        return releases.isEmpty()
                ? Uni.createFrom().item(true)
                : Uni.join().all(releases).andCollectFailures().map(done -> true);
    }

    private static String lease(String ns, String key) {
        return LEASE_PREFIX + ns + ":" + key;
    }

    private Uni<Loaded> loadOnce(String ns, String key, OriginConfig origin, StoredEntry local) {
        long deadline = System.nanoTime()
                + 2 * origin.leaseTtl().toNanos()
                + origin.timeout().toNanos();
        return attempt(ns, key, origin, local, deadline);
    }

    /** Takes the lease and loads, or waits for the holder's fill; tries again if the lease ends without one. */
    private Uni<Loaded> attempt(String ns, String key, OriginConfig origin, StoredEntry local, long deadline) {
        String lease = lease(ns, key);
        String holder = UUID.randomUUID().toString();
        return send(Request.cmd(Command.SET)
                        .arg(lease)
                        .arg(holder)
                        .arg("NX")
                        .arg("PX")
                        .arg(origin.leaseTtl().toMillis()))
                .chain(taken -> taken != null
                        ? loadUnlessFilled(ns, key, origin, local)
                                .onTermination()
                                .call(() -> locks.release(lease, holder))
                        : awaitFill(ns, key, origin, local, lease, deadline));
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

    private Uni<Loaded> awaitFill(
            String ns, String key, OriginConfig origin, StoredEntry local, String lease, long deadline) {
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
                    return send(Request.cmd(Command.EXISTS).arg(lease))
                            .chain(exists -> exists != null && exists.toInteger() == 1
                                    ? awaitFill(ns, key, origin, local, lease, deadline)
                                    : attempt(ns, key, origin, local, deadline));
                });
    }

    /** A fill (or a write) happened since the miss: something newer than what the miss found is stored. */
    private static boolean filledSince(StoredEntry before, StoredEntry now) {
        if (now.value() == null) {
            return false;
        }
        return before.value() == null
                || now.value().version().compareTo(before.value().version()) > 0;
    }

    private Uni<Loaded> fetchAndStore(String ns, String key, OriginConfig origin) {
        RegionCircuitBreaker breaker = breaker(ns, origin);
        if (!breaker.allows()) {
            return Uni.createFrom().failure(new OriginFailure("the origin's circuit breaker is open"));
        }
        // Taken before the call: a write or delete during the call is newer and wins over this load.
        Version version = new Version(clock.now(), regions.originId());
        String url = origin.url().replace("{key}", PathSegments.encode(key));
        long started = System.nanoTime();
        return client.getAbs(url)
                .timeout(origin.timeout().toMillis())
                .send()
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    boolean ok = failure == null && (response.statusCode() == 200 || response.statusCode() == 404);
                    settle(ns, breaker, started, response, failure, ok);
                    if (!ok) {
                        return Uni.createFrom().failure(failureOf(response, failure));
                    }
                    if (response.statusCode() == 404) {
                        return Uni.createFrom().item(new Loaded(StoredEntry.ABSENT, Source.ORIGIN));
                    }
                    byte[] body = response.body() == null
                            ? new byte[0]
                            : response.body().getBytes();
                    String type = Optional.ofNullable(response.getHeader("Content-Type"))
                            .orElse("");
                    return store(ns, key, version, body, type);
                });
    }

    /** Loads several keys in one call to the origin's {@code batch-url}; a key the origin left out is absent. */
    private Uni<Map<String, Loaded>> fetchBatch(String ns, List<String> keys, OriginConfig origin) {
        RegionCircuitBreaker breaker = breaker(ns, origin);
        if (!breaker.allows()) {
            return Uni.createFrom().failure(new OriginFailure("the origin's circuit breaker is open"));
        }
        Version version = new Version(clock.now(), regions.originId());
        long started = System.nanoTime();
        return client.postAbs(origin.batchUrl().orElseThrow())
                .timeout(origin.timeout().toMillis())
                .sendJsonObject(new JsonObject().put("keys", new JsonArray(keys)))
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    boolean ok = failure == null && response.statusCode() == 200;
                    settle(ns, breaker, started, response, failure, ok);
                    if (!ok) {
                        return Uni.createFrom().failure(failureOf(response, failure));
                    }
                    JsonObject values;
                    try {
                        values = response.bodyAsJsonObject().getJsonObject("values");
                    } catch (RuntimeException malformed) {
                        values = null;
                    }
                    if (values == null) {
                        return Uni.createFrom()
                                .failure(new OriginFailure("the origin's batch answer has no \"values\" object"));
                    }
                    List<Uni<Loaded>> stored = new ArrayList<>();
                    for (String key : keys) {
                        stored.add(storeBatched(ns, key, version, values));
                    }
                    return Uni.join().all(stored).andFailFast().map(loaded -> {
                        Map<String, Loaded> byKey = new HashMap<>();
                        for (int i = 0; i < keys.size(); i++) {
                            byKey.put(keys.get(i), loaded.get(i));
                        }
                        return byKey;
                    });
                });
    }

    private Uni<Loaded> storeBatched(String ns, String key, Version version, JsonObject values) {
        Object found = values.getValue(key);
        if (found == null) {
            return Uni.createFrom().item(new Loaded(StoredEntry.ABSENT, Source.ORIGIN));
        }
        if (!(found instanceof JsonObject value) || !(value.getValue("value") instanceof String text)) {
            return Uni.createFrom()
                    .failure(new OriginFailure("the origin's batch answer for " + key + " has no \"value\" string"));
        }
        byte[] body;
        if ("base64".equals(value.getString("encoding"))) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom()
                        .failure(new OriginFailure("the origin's batch answer for " + key + " is not base64"));
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        return store(
                ns,
                key,
                version,
                body,
                Optional.ofNullable(value.getString("contentType")).orElse(""));
    }

    private RegionCircuitBreaker breaker(String ns, OriginConfig origin) {
        return breakers.computeIfAbsent(
                ns,
                ignored -> new RegionCircuitBreaker(
                        origin.breakerFailures(), origin.breakerOpenFor().toNanos(), System::nanoTime));
    }

    /** Counts a finished origin call and feeds its outcome to the breaker and, when it succeeded, to XFetch's delta. */
    private void settle(
            String ns,
            RegionCircuitBreaker breaker,
            long started,
            HttpResponse<Buffer> response,
            Throwable failure,
            boolean ok) {
        long took = System.nanoTime() - started;
        metrics.originCall(ns, ok ? response.statusCode() : -1, took);
        if (ok) {
            breaker.succeeded();
            loadMillis.merge(ns, took / 1e6, (old, now) -> 0.8 * old + 0.2 * now);
        } else {
            breaker.failed();
        }
    }

    private static OriginFailure failureOf(HttpResponse<Buffer> response, Throwable failure) {
        String why = failure != null ? String.valueOf(failure.getMessage()) : "answered " + response.statusCode();
        return new OriginFailure("the origin " + why);
    }

    private Uni<Loaded> store(String ns, String key, Version version, byte[] body, String type) {
        NamespaceConfig config = namespaces.all().get(ns);
        if (body.length > config.maxValueBytes()) {
            return Uni.createFrom()
                    .failure(new OriginFailure("the origin's value of " + body.length + " bytes is over the limit"));
        }
        Duration ttl = ttls.resolve(null, config);
        StoredValue value = StoredValue.value(version, type, body, version.wallMillis() + ttl.toMillis());
        return store.setIfNewer(ns, key, 0, value, ttl)
                .chain(stored -> stored
                        ? Uni.createFrom().item(new Loaded(new StoredEntry(value, ttl.toMillis()), Source.ORIGIN))
                        // A write or delete landed while the origin answered: what is stored now is the answer.
                        : store.get(ns, key, 0).map(entry -> new Loaded(entry, Source.LOCAL)));
    }

    private Uni<Loaded> staleOrFail(String ns, StoredEntry local, OriginConfig origin, Throwable failure) {
        if (!(failure instanceof OriginFailure)) {
            return Uni.createFrom().failure(failure);
        }
        StoredValue value = local.value();
        boolean staleAllowed = value != null
                && !value.tombstone()
                && -local.remainingTtlMillis() < origin.staleIfError().toMillis();
        if (staleAllowed) {
            metrics.staleAnswer(ns);
            return Uni.createFrom().item(new Loaded(local, Source.STALE));
        }
        return Uni.createFrom()
                .failure(MeridianException.unavailable(
                        "origin-unavailable", failure.getMessage() + "; no value within stale-if-error to answer"));
    }

    private Uni<io.vertx.redis.client.Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }

    /** The origin could not answer: failed, timed out, breaker open, or the lease holder never filled. */
    static final class OriginFailure extends RuntimeException {
        OriginFailure(String message) {
            super(message, null, false, false);
        }
    }
}

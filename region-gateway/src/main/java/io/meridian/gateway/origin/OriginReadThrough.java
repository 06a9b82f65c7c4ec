package io.meridian.gateway.origin;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.concurrent.SingleFlight;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.config.TtlPolicy;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.hotkeys.HotKeyReplicas;
import io.meridian.gateway.identity.VersionOrigin;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Read-through for namespaces that name an origin: a miss in the key's home region loads the value from the origin
 * and stores it, with stampede control at two levels.
 *
 * <ul>
 *   <li>Inside one gateway, concurrent misses of a key share one load (here).
 *   <li>Across the gateways of a region, one gateway at a time holds the key's <b>fill lease</b> and calls the origin;
 *       the others poll Redis for its fill ({@link RegionFill}). A lease whose holder died expires after {@code
 *       lease-ttl} and the next poller takes it.
 * </ul>
 *
 * The loaded value's version is taken <i>before</i> the origin is called ({@link OriginClient}) and the value is
 * stored with set-if-newer: a write or delete made while the origin answered has a newer version and wins, so a load
 * never brings back data older than an invalidation. When the origin fails (or its circuit breaker is open), a value
 * expired less than {@code stale-if-error} ago is answered, marked stale; otherwise the read answers 503 {@code
 * origin-unavailable}. When to reload before or after expiry is {@link RefreshPolicy}'s to say.
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

    private final Namespaces namespaces;
    private final GatewayMetrics metrics;
    private final Degradation degradation;
    private final WebClient http;
    private final RefreshPolicy policy =
            new RefreshPolicy(() -> ThreadLocalRandom.current().nextDouble());
    private final RegionFill fill;
    private final SingleFlight<String, Uni<Loaded>> loadsInFlight = new SingleFlight<>();

    public OriginReadThrough(
            Namespaces namespaces,
            RegionStore store,
            HotKeyReplicas replicas,
            Redis redis,
            HybridLogicalClock clock,
            VersionOrigin versionOrigin,
            GatewayMetrics metrics,
            Degradation degradation,
            Vertx vertx) {
        this.namespaces = namespaces;
        this.metrics = metrics;
        this.degradation = degradation;
        this.http = WebClient.create(vertx);
        this.fill = new RegionFill(
                namespaces,
                store,
                replicas,
                redis,
                clock,
                versionOrigin,
                new OriginClient(http, metrics, policy),
                new TtlPolicy(() -> ThreadLocalRandom.current().nextDouble()));
    }

    @PreDestroy
    void close() {
        http.close();
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
        return RefreshPolicy.mayServeWhileRevalidating(originOf(ns), local);
    }

    /** XFetch: whether a read of the live {@code local} should reload it now, before it expires. */
    public boolean shouldRefreshEarly(String ns, StoredEntry local) {
        return policy.shouldRefreshEarly(ns, originOf(ns), local, degradation.allows(Level.Feature.EARLY_REFRESH));
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
        OriginConfig origin = originOf(ns);
        return shared(ns, key, () -> fill.one(ns, key, origin, local, RegionFill.deadline(origin)))
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
        OriginConfig origin = originOf(ns);
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
                .filter(key -> !loadsInFlight.inFlight(ns + "/" + key))
                .toList();
        if (keys.size() < 2) {
            return;
        }
        String holder = UUID.randomUUID().toString();
        long deadline = RegionFill.deadline(origin);
        Uni<List<String>> leased =
                fill.takeLeases(ns, keys, origin, holder).memoize().indefinitely();
        Uni<Map<String, Loaded>> batch = leased.chain(taken -> fill.batch(ns, origin, taken, misses)
                        .onTermination()
                        .call(() -> fill.releaseAll(ns, taken, holder)))
                .memoize()
                .indefinitely();
        for (String key : keys) {
            shared(
                    ns,
                    key,
                    () -> leased.chain(taken -> taken.contains(key)
                            ? batch.map(loaded -> loaded.get(key))
                            : fill.awaitFill(ns, key, origin, misses.get(key), deadline)));
        }
    }

    /** The load under way of a key, or {@code load} as the one from now on until it ends. */
    private Uni<Loaded> shared(String ns, String key, java.util.function.Supplier<Uni<Loaded>> load) {
        String id = ns + "/" + key;
        return loadsInFlight.join(
                id,
                landed -> load.get().onTermination().invoke(landed).memoize().indefinitely());
    }

    private Uni<Loaded> staleOrFail(String ns, StoredEntry local, OriginConfig origin, Throwable failure) {
        if (!(failure instanceof OriginFailure)) {
            return Uni.createFrom().failure(failure);
        }
        if (RefreshPolicy.mayServeOnError(origin, local)) {
            metrics.staleAnswer(ns);
            return Uni.createFrom().item(new Loaded(local, Source.STALE));
        }
        return Uni.createFrom()
                .failure(GatewayFailure.unavailable(
                        "origin-unavailable", failure.getMessage() + "; no value within stale-if-error to answer"));
    }

    private OriginConfig originOf(String ns) {
        return namespaces.all().get(ns).origin().orElseThrow();
    }
}

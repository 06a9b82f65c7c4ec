package io.meridian.gateway.routing;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.routing.ReadDecision;
import io.meridian.coherence.routing.Route;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.cache.KeyCache;
import io.meridian.gateway.cache.ReadResult;
import io.meridian.gateway.cache.SlidingTtl;
import io.meridian.gateway.cache.WriteResult;
import io.meridian.gateway.conditions.WriteConditions;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.hotkeys.HotKeyReplicas;
import io.meridian.gateway.hotkeys.HotKeys;
import io.meridian.gateway.nearcache.NearCache;
import io.meridian.gateway.origin.OriginReadThrough;
import io.meridian.gateway.purge.Purges;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Sends each keys-API call where it belongs. Writes and deletes run in the key's home region: here, or forwarded to
 * the home's gateway. Reads are served from this region's copy when it is new enough for the client's session token,
 * and otherwise from the home region, whose answer refreshes the local copy.
 *
 * <p>A gateway that forwarded a write keeps the acknowledged version locally with set-if-newer (the remote marker,
 * carrying the value itself), so this region's clients read the write at once even without a token.
 *
 * <p>Over 300 lines because it carries out every plan of {@link ReadDecision} and the forwarding of writes, with the
 * answer each plan gives; the decisions themselves, fills ({@link HomeFills}) and stores live elsewhere.
 */
@ApplicationScoped
public class KeyRouter {

    private final WallClock wall;

    private static final Logger LOG = Logger.getLogger(KeyRouter.class);

    private final KeyCache cache;
    private final HomeRegions homes;
    private final RegionClient remote;
    private final WatermarkView watermarks;
    private final OriginReadThrough origins;
    private final NearCache nearCache;
    private final HotKeys hotKeys;
    private final HotKeyReplicas replicas;
    private final Purges purges;
    private final SlidingTtl slidingTtl;
    private final Degradation degradation;
    private final long staleWindowMillis;
    private final String self;
    private final HomeFills fills;

    public KeyRouter(
            KeyCache cache,
            HomeRegions homes,
            RegionClient remote,
            WatermarkView watermarks,
            OriginReadThrough origins,
            NearCache nearCache,
            HotKeys hotKeys,
            HotKeyReplicas replicas,
            Purges purges,
            SlidingTtl slidingTtl,
            Degradation degradation,
            io.meridian.gateway.config.MeridianConfig config,
            Regions regions,
            WallClock wall) {
        this.wall = wall;
        this.degradation = degradation;
        this.staleWindowMillis = config.degradation().staleWindow().toMillis();
        this.purges = purges;
        this.slidingTtl = slidingTtl;
        this.hotKeys = hotKeys;
        this.replicas = replicas;
        this.nearCache = nearCache;
        this.cache = cache;
        this.origins = origins;
        this.homes = homes;
        this.remote = remote;
        this.watermarks = watermarks;
        this.self = regions.self();
        this.fills = new HomeFills(remote, purges, cache, watermarks);
    }

    /** An answer and the client's session token after it. */
    public record Routed<T>(T result, SessionToken token) {}

    public Uni<Routed<WriteResult>> put(
            String ns,
            String key,
            byte[] body,
            String type,
            Duration ttl,
            WriteConditions conditions,
            SessionToken token) {
        return homes.writeHomeOf(ns, key, false)
                .chain(home -> home.equals(self)
                        ? cache.put(ns, key, body, type, ttl, conditions)
                        : forwardPut(home, ns, key, body, type, ttl, conditions))
                .map(result -> written(result, token));
    }

    public Uni<Routed<WriteResult>> delete(String ns, String key, WriteConditions conditions, SessionToken token) {
        return homes.writeHomeOf(ns, key, false)
                .chain(home -> home.equals(self)
                        ? cache.delete(ns, key, conditions)
                        : forwardDelete(home, ns, key, conditions))
                .map(result -> written(result, token));
    }

    /**
     * The version this region holds of a key that a read just missed (a tombstone's, an expired value's), the base of
     * a fill lease; empty when it holds none.
     */
    public Uni<Optional<Version>> missBase(String ns, String key) {
        return homes.homeOf(ns, key)
                .chain(home -> cache.read(ns, key, watermarks.generation(home)))
                .map(entry -> Optional.ofNullable(entry.value()).map(StoredValue::version));
    }

    /** Reads a key for a client holding {@code token}; empty when absent or deleted. */
    public Uni<Routed<Optional<ReadResult>>> get(String ns, String key, SessionToken token, Consistency consistency) {
        return homes.routeOf(ns, key)
                .chain(route -> lookHere(ns, key, route, token)
                        .chain(found -> found.answer() != null
                                ? Uni.createFrom().item(found.answer())
                                : answer(ns, key, route, found.copy(), token, consistency)));
    }

    /**
     * Reads several keys of one namespace (MGET), in the order asked. Like {@link #get} for each key, except that
     * when the namespace's origin loads in batches, this region's own keys that must be loaded from the origin are
     * loaded together in one origin call.
     */
    public Uni<List<Routed<Optional<ReadResult>>>> getMany(
            String ns, List<String> keys, SessionToken token, Consistency consistency) {
        if (!origins.loadsInBatches(ns)) {
            return Uni.join()
                    .all(keys.stream()
                            .map(key -> get(ns, key, token, consistency))
                            .toList())
                    .andFailFast();
        }
        Map<String, StoredEntry> misses = new ConcurrentHashMap<>();
        List<Uni<Optional<Routed<Optional<ReadResult>>>>> firstPass = keys.stream()
                .map(key -> homes.routeOf(ns, key)
                        .chain(route -> lookHere(ns, key, route, token).chain(found -> {
                            String home = route.home();
                            if (found.answer() != null) {
                                return Uni.createFrom().item(Optional.of(found.answer()));
                            }
                            if (decide(ns, route, found.copy(), token) == ReadDecision.Plan.LOAD_FROM_ORIGIN) {
                                misses.put(key, found.copy());
                                return Uni.createFrom().item(Optional.<Routed<Optional<ReadResult>>>empty());
                            }
                            return answer(ns, key, route, found.copy(), token, consistency)
                                    .map(Optional::of);
                        })))
                .toList();
        return Uni.join().all(firstPass).andFailFast().chain(answered -> {
            if (misses.isEmpty()) {
                return Uni.createFrom()
                        .item(answered.stream().map(Optional::orElseThrow).toList());
            }
            return origins.loadAll(ns, misses).map(loaded -> {
                List<Routed<Optional<ReadResult>>> all = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    Optional<Routed<Optional<ReadResult>>> first = answered.get(i);
                    all.add(first.isPresent() ? first.get() : fromOrigin(self, loaded.get(keys.get(i)), token));
                }
                return all;
            });
        });
    }

    /** What this gateway knows of a key: a near-cache answer good enough for the token, or else the region's copy. */
    private record Found(Routed<Optional<ReadResult>> answer, StoredEntry copy) {}

    private Uni<Found> lookHere(String ns, String key, Route route, SessionToken token) {
        String home = route.home();
        hotKeys.read(ns, key, home);
        long generation = watermarks.generation(home);
        Optional<StoredEntry> near = nearCache.get(ns, key, generation);
        // Only the entry's own version can satisfy a token: the region's watermark may be ahead of the entry.
        if (near.isPresent()
                && ReadDecision.satisfiesAll(route, token, near.get().value().version())) {
            slidingTtl.touched(ns, key, generation, near.get().value());
            return Uni.createFrom().item(new Found(fromNearCache(home, near.get(), token), null));
        }
        long sequence = nearCache.sequence(ns, key);
        int replica = replicas.pick(ns, key);
        if (replica < 0) {
            return cache.read(ns, key, generation)
                    .invoke(local -> nearCache.offer(ns, key, generation, local, sequence))
                    .map(local -> new Found(null, local));
        }
        String valueKey = RedisKeys.value(ns, key, generation);
        return replicas.read(ns, valueKey, replica)
                .onFailure()
                .recoverWithItem(StoredEntry.ABSENT)
                .chain(copy -> copy.isLive()
                                && ReadDecision.satisfiesAll(
                                        route, token, copy.value().version())
                        ? Uni.createFrom().item(new Found(readReplica(home, copy, token), null))
                        : cache.read(ns, key, generation)
                                .invoke(local -> replicas.offer(ns, key, valueKey, replica, local, sequence))
                                .map(local -> new Found(null, local)));
    }

    /** The facts of a read, gathered from this gateway's state, and the plan {@link ReadDecision} makes of them. */
    private ReadDecision.Plan decide(String ns, Route route, StoredEntry local, SessionToken token) {
        boolean readThrough = origins.hasOrigin(ns);
        boolean own = route.home().equals(self);
        return ReadDecision.decide(new ReadDecision.Facts(
                self,
                route,
                local,
                token,
                source -> watermarks.watermark(source).orElse(-1),
                degradation.allows(Level.Feature.FRESH_READS),
                staleWindowMillis,
                readThrough,
                readThrough && own && !local.isLive() && origins.mayServeWhileRevalidating(ns, local),
                readThrough && own && local.isLive() && origins.shouldRefreshEarly(ns, local),
                homes.rebuildingCache(),
                homes.mayAnswerOwnKeys(ns)));
    }

    /** Carries out the plan {@link ReadDecision} makes for a read. */
    private Uni<Routed<Optional<ReadResult>>> answer(
            String ns, String key, Route route, StoredEntry local, SessionToken token, Consistency consistency) {
        String home = route.home();
        switch (decide(ns, route, local, token)) {
            case STALE:
                return Uni.createFrom()
                        .item(new Routed<>(
                                Optional.of(new ReadResult(local.value(), home, "stale", local.remainingTtlMillis())),
                                token));
            case UNAVAILABLE_REBUILDING:
                return homeUnreachable(route, local, token, consistency, CacheRecoveryView.refusal());
            case UNAVAILABLE_RECOVERING:
                return homeUnreachable(route, local, token, consistency, HomeRegions.recovering());
            case REVALIDATE:
                origins.refreshInBackground(ns, key, local);
                return Uni.createFrom()
                        .item(fromOrigin(
                                home, new OriginReadThrough.Loaded(local, OriginReadThrough.Source.STALE), token));
            case LOAD_FROM_ORIGIN:
                return origins.load(ns, key, local).map(loaded -> fromOrigin(home, loaded, token));
            case LOCAL_REFRESH_EARLY:
                origins.refreshInBackground(ns, key, local);
                return Uni.createFrom().item(readLocally(ns, key, home, local, token));
            case LOCAL:
                return (home.equals(self)
                                ? homes.confirmOwnCopy(local)
                                : Uni.createFrom().item(local))
                        .map(copy -> readLocally(ns, key, home, copy, token));
            case FILL_FROM_HOME:
            default:
                return fills.forRead(route, ns, key, token)
                        .map(fetched -> fromHome(route, fetched, token))
                        .onFailure(failure -> !(failure instanceof OlderThanSeen))
                        .recoverWithUni(failure -> homeUnreachable(route, local, token, consistency, failure));
        }
    }

    private Routed<Optional<ReadResult>> readLocally(
            String ns, String key, String home, StoredEntry local, SessionToken token) {
        if (local.value() == null) {
            return new Routed<>(Optional.empty(), token);
        }
        SessionToken seen = token.with(home, local.value().version());
        if (!local.isLive()) {
            return new Routed<>(Optional.empty(), seen);
        }
        slidingTtl.touched(ns, key, watermarks.generation(home), local.value());
        return new Routed<>(
                Optional.of(new ReadResult(local.value(), home, "local", local.remainingTtlMillis())), seen);
    }

    private static Routed<Optional<ReadResult>> readReplica(String home, StoredEntry copy, SessionToken token) {
        return new Routed<>(
                Optional.of(new ReadResult(copy.value(), home, "local", copy.remainingTtlMillis())),
                token.with(home, copy.value().version()));
    }

    private static Routed<Optional<ReadResult>> fromNearCache(String home, StoredEntry near, SessionToken token) {
        return new Routed<>(
                Optional.of(new ReadResult(near.value(), home, "l1", near.remainingTtlMillis())),
                token.with(home, near.value().version()));
    }

    private static Routed<Optional<ReadResult>> fromOrigin(
            String home, OriginReadThrough.Loaded loaded, SessionToken token) {
        StoredEntry entry = loaded.entry();
        if (entry.value() == null || entry.value().tombstone()) {
            return new Routed<>(Optional.empty(), token);
        }
        SessionToken seen = token.with(home, entry.value().version());
        if (!entry.isLive() && loaded.source() != OriginReadThrough.Source.STALE) {
            return new Routed<>(Optional.empty(), seen);
        }
        String source = loaded.source().name().toLowerCase(java.util.Locale.ROOT);
        return new Routed<>(Optional.of(new ReadResult(entry.value(), home, source, entry.remainingTtlMillis())), seen);
    }

    /**
     * A fill's answer, whether the home's or a former home's: it must honour the token's versions for the key's home
     * and every former home, or the read is answered 503 rather than with an older value than the client has seen.
     */
    private Routed<Optional<ReadResult>> fromHome(
            Route route, Optional<RegionClient.Fetched> fetched, SessionToken token) {
        String home = route.home();
        Version version = fetched.map(answer -> answer.value().version()).orElse(null);
        if (!ReadDecision.satisfiesAll(route, token, version)) {
            throw new OlderThanSeen(home, version);
        }
        if (fetched.isEmpty()) {
            return new Routed<>(Optional.empty(), token);
        }
        StoredValue value = fetched.get().value();
        SessionToken seen = token.with(home, value.version());
        if (value.tombstone()) {
            return new Routed<>(Optional.empty(), seen);
        }
        return new Routed<>(
                Optional.of(new ReadResult(value, home, "home", fetched.get().remainingTtlMillis())), seen);
    }

    /**
     * A read that cannot be answered from the home: a live copy here when the reader accepts stale data and the copy
     * honours its session token; else the failure.
     */
    private Uni<Routed<Optional<ReadResult>>> homeUnreachable(
            Route route, StoredEntry local, SessionToken token, Consistency consistency, Throwable failure) {
        String home = route.home();
        if (consistency == Consistency.EVENTUAL
                && local.isLive()
                && ReadDecision.satisfiesAll(route, token, local.value().version())) {
            ReadResult stale = new ReadResult(local.value(), home, "stale", local.remainingTtlMillis());
            return Uni.createFrom().item(new Routed<>(Optional.of(stale), token));
        }
        return Uni.createFrom().failure(failure);
    }

    /**
     * The home answered an older version of a key than the client's session token has seen (from the home or a former
     * home): the home has not applied that write yet (it took the key over lately, or was cut off from the region that
     * wrote it). Answered 503; never the older value.
     */
    static final class OlderThanSeen extends GatewayFailure {
        OlderThanSeen(String home, Version answered) {
            super(
                    GatewayFailure.Kind.UNAVAILABLE,
                    "stale-home",
                    "the key's home " + home + " answered " + (answered == null ? "no version" : answered.toHex())
                            + ", older than this session has seen; retry after Retry-After",
                    null);
        }
    }

    private Uni<WriteResult> forwardPut(
            String home, String ns, String key, byte[] body, String type, Duration ttl, WriteConditions conditions) {
        return remote.put(home, ns, key, body, type, ttl, conditions).call(result -> {
            long left = Instant.parse(result.expiresAt()).toEpochMilli() - wall.millis();
            StoredValue copy = StoredValue.value(
                    Version.fromHex(result.version()),
                    type,
                    body,
                    Instant.parse(result.expiresAt()).toEpochMilli());
            return keepMarker(home, ns, key, copy, Duration.ofMillis(Math.max(1, left)));
        });
    }

    private Uni<WriteResult> forwardDelete(String home, String ns, String key, WriteConditions conditions) {
        return remote.delete(home, ns, key, conditions)
                .call(result -> keepMarker(
                        home, ns, key, StoredValue.tombstone(Version.fromHex(result.version())), Duration.ofMillis(1)));
    }

    /** The write is acknowledged by its home; failing to keep the local marker only delays local visibility. */
    private Uni<Boolean> keepMarker(String home, String ns, String key, StoredValue copy, Duration ttl) {
        return cache.keepCopy(ns, key, watermarks.generation(home), copy, ttl)
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("could not keep the remote marker of %s/%s: %s", ns, key, failure.getMessage());
                    return false;
                });
    }

    private static Routed<WriteResult> written(WriteResult result, SessionToken token) {
        return new Routed<>(result, token.with(result.home(), Version.fromHex(result.version())));
    }
}

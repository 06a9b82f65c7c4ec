package io.meridian.gateway.routing;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meridian.coherence.event.HomeAssignment;
import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.placement.Placement;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.routing.HandoverState;
import io.meridian.coherence.routing.Route;
import io.meridian.coherence.routing.WriteDecision;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The home region of a key, by its namespace's placement. Owner-placed namespaces read the owner directory: the
 * internal namespace {@value #OWNER_NAMESPACE}, whose keys are owner ids and whose values are region names. It is
 * ordinary Meridian data (homed by hash of the owner id, replicated, versioned), read from this region's copy and
 * cached briefly.
 *
 * <p>That placement gives a key's <em>natural</em> home. Its writes go elsewhere in two cases, to the next region of
 * the key's rendezvous order that can take them: the natural home has been handed over ({@link Handovers}), or the
 * namespace has {@code region-outage-policy=failover} and the natural home has been down for {@code failover-after}
 * ({@link RegionHealth}). Read-only regions are never homes.
 */
@ApplicationScoped
public class HomeRegions {

    /** The namespace holding the owner directory. */
    public static final String OWNER_NAMESPACE = "_owners";

    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final Map<String, NamespaceConfig> namespaces;
    private final HomeRegionResolver resolver;
    private final Handovers handovers;
    private final RegionHealth health;
    private final CacheRecoveryView recovery;
    private final AssignmentFences fences;
    private final String self;
    private final AsyncLoadingCache<String, Optional<String>> owners;

    public HomeRegions(
            MeridianConfig config,
            Regions regions,
            RegionStore store,
            WatermarkView progress,
            Handovers handovers,
            RegionHealth health,
            CacheRecoveryView recovery,
            AssignmentFences fences) {
        this.recovery = recovery;
        this.fences = fences;
        this.handovers = handovers;
        this.health = health;
        this.self = regions.self();
        this.namespaces = config.namespaces();
        this.resolver = new HomeRegionResolver(regions.homeable(), owner -> Optional.empty());
        config.namespaces()
                .forEach((name, ns) -> placements.put(name, Placement.parse(ns.placement(), regions.homeable())));
        placements.put(OWNER_NAMESPACE, new Placement.Hash());
        this.owners = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(config.ownerCacheTtl())
                .buildAsync((owner, executor) -> store.get(
                                OWNER_NAMESPACE, owner, progress.generation(resolver.rendezvous(owner)))
                        .map(HomeRegions::regionOf)
                        .subscribeAsCompletionStage());
    }

    /**
     * @return the region that executes the key's writes now: its natural home, or the next region when that one has
     *     been handed over or (failover namespaces) has been down long enough
     */
    public Uni<String> homeOf(String namespace, String key) {
        return naturalHomeOf(namespace, key).map(natural -> effective(namespace, key, natural));
    }

    /** @return the key's natural and current home, and its former homes (see {@link #formerHomes}) */
    public Uni<Route> routeOf(String namespace, String key) {
        return naturalHomeOf(namespace, key).map(natural -> {
            String home = effective(namespace, key, natural);
            return new Route(natural, home, formerHomes(namespace, key, natural, home));
        });
    }

    /** @return the home the key's placement gives it, whatever the handovers and outages */
    public Uni<String> naturalHomeOf(String namespace, String key) {
        Placement placement = placements.getOrDefault(namespace, new Placement.Hash());
        if (!(placement instanceof Placement.Owner)) {
            return Uni.createFrom().item(resolver.homeOf(key, placement));
        }
        String owner = Placement.Owner.ownerOf(key);
        return Uni.createFrom()
                .completionStage(() -> owners.get(owner))
                .onFailure()
                .recoverWithItem(Optional.empty())
                .map(region -> resolver.homeOf(key, placement, region));
    }

    /**
     * The home of a write, checked: fails with 503 when the key's writes are paused (its home is draining, or
     * catching up before it takes its keys back).
     *
     * @param forwarded whether another region sent the write here as the key's home; then this region must agree
     */
    public Uni<String> writeHomeOf(String namespace, String key, boolean forwarded) {
        return writeHomeOf(namespace, key, forwarded, Map.of());
    }

    /**
     * As {@link #writeHomeOf(String, String, boolean)}, for a write forwarded under the sender's assignment epochs:
     * when the sender's epoch of the key's natural home differs from this region's, the two regions disagree on who
     * executes the key's writes (one of them has not seen the latest handover yet), and the write is refused (503,
     * retried by the client) rather than executed under an assignment that is over or not yet in force.
     *
     * @param epochs the sender's assignment epoch per region ({@link Handovers#epochs()}); empty when not known
     */
    public Uni<String> writeHomeOf(String namespace, String key, boolean forwarded, Map<String, Long> epochs) {
        return naturalHomeOf(namespace, key).map(natural -> {
            String home = effective(namespace, key, natural);
            HomeAssignment assignment = handovers.assignment(natural);
            WriteDecision.Plan plan = WriteDecision.decide(new WriteDecision.Facts(
                    self,
                    natural,
                    home,
                    forwarded,
                    Optional.ofNullable(epochs.get(natural)),
                    assignment.epoch(),
                    rebuildingCache(),
                    natural.equals(self) || fences.passed(natural),
                    handovers.state(natural),
                    mayAnswerOwnKeys(namespace)));
            return switch (plan) {
                case FORWARD, EXECUTE -> home;
                case REFUSE_NOT_HOME ->
                    throw paused("this region does not home " + namespace + "/" + key + " now (" + home
                            + " does); the regions are switching the key's home");
                case REFUSE_EPOCH ->
                    throw paused("the write was forwarded under epoch " + epochs.get(natural) + " of "
                            + natural + "'s assignment, this region holds epoch " + assignment.epoch()
                            + "; the regions are switching the key's home");
                case REFUSE_REBUILDING -> throw CacheRecoveryView.refusal();
                case REFUSE_FENCE ->
                    throw paused("this region executes the writes of " + natural
                            + "'s keys once it has applied " + natural + "'s log up to where it stood when they moved ("
                            + assignment.encode() + ")");
                case REFUSE_DRAINING -> throw paused("the key's home " + natural + " is draining for a handover");
                case REFUSE_RETURNING -> throw paused("the key is returning to its home " + natural);
                case REFUSE_RECOVERING -> throw recovering();
            };
        });
    }

    /**
     * Whether this region may answer for its own keys of a namespace now: not while it catches up on the writes
     * other regions took for it during an outage (failover namespaces only).
     */
    public boolean mayAnswerOwnKeys(String namespace) {
        return !rebuildingCache() && (!failsOver(namespace) || health.caughtUp());
    }

    /**
     * An own key's copy, as read from this region's Redis: a miss is an answer only if the cache was not emptied under
     * this gateway just now (the cache id it saw is still there, {@link CacheRecoveryView#intact}); else 503 {@code
     * recovering}.
     */
    public Uni<StoredEntry> confirmOwnCopy(StoredEntry copy) {
        if (copy.value() != null) {
            return Uni.createFrom().item(copy);
        }
        return recovery.intact().map(intact -> {
            if (!intact) {
                throw CacheRecoveryView.refusal();
            }
            return copy;
        });
    }

    /** @return whether this region's cache is being rebuilt after it lost its data */
    public boolean rebuildingCache() {
        return recovery.recovering() || !handovers.current();
    }

    /** @return the 503 answered while this region catches up before it answers for its keys again */
    public static GatewayFailure recovering() {
        return paused("this region is catching up on the writes other regions took for it while it was down");
    }

    /**
     * The regions other than {@code home} that may have executed writes of the key lately, so that a session token's
     * versions from them must be honoured too: the natural home when its keys are handed over, and for failover
     * namespaces the natural home and its next region.
     */
    public List<String> formerHomes(String namespace, String key, String natural, String home) {
        List<String> formers = new ArrayList<>(2);
        if (!natural.equals(home)) {
            formers.add(natural);
        }
        if (failsOver(namespace)) {
            for (String region : resolver.ranked(key)) {
                if (!region.equals(natural)) {
                    if (!region.equals(home)) {
                        formers.add(region);
                    }
                    break;
                }
            }
        }
        return formers;
    }

    private boolean failsOver(String namespace) {
        NamespaceConfig ns = namespaces.get(namespace);
        return ns != null && ns.regionOutagePolicy() == NamespaceConfig.RegionOutagePolicy.FAILOVER;
    }

    private String effective(String namespace, String key, String natural) {
        if (!handsOver(namespace, natural)) {
            return natural;
        }
        for (String region : resolver.ranked(key)) {
            if (!region.equals(natural) && !handsOver(namespace, region)) {
                return region;
            }
        }
        return natural;
    }

    /** Whether a region's keys go to the next region now. */
    private boolean handsOver(String namespace, String region) {
        Optional<HandoverState> state = handovers.state(region);
        if (state.isPresent() && state.get().moved()) {
            return true;
        }
        if (region.equals(self) || !failsOver(namespace)) {
            return false;
        }
        return health.downFor(region, namespaces.get(namespace).failoverAfter());
    }

    private static GatewayFailure paused(String detail) {
        return GatewayFailure.unavailable("draining", detail);
    }

    /** @return this gateway's region */
    public String self() {
        return self;
    }

    /** Drops a cached owner entry, after this gateway changed it. */
    public void forgetOwner(String owner) {
        owners.synchronous().invalidate(owner);
    }

    private static Optional<String> regionOf(StoredEntry entry) {
        return entry.isLive()
                ? Optional.of(new String(entry.value().body(), StandardCharsets.UTF_8))
                : Optional.empty();
    }
}

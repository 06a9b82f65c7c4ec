package io.meridian.gateway.routing;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.placement.Placement;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.gateway.cache.Regions;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.redis.RegionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The home region of a key, by its namespace's placement. Owner-placed namespaces read the owner directory: the
 * internal namespace {@value #OWNER_NAMESPACE}, whose keys are owner ids and whose values are region names. It is
 * ordinary Meridian data (homed by hash of the owner id, replicated, versioned), read from this region's copy and
 * cached briefly.
 */
@ApplicationScoped
public class HomeRegions {

    /** The namespace holding the owner directory. */
    public static final String OWNER_NAMESPACE = "_owners";

    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final HomeRegionResolver resolver;
    private final AsyncLoadingCache<String, Optional<String>> owners;

    public HomeRegions(MeridianConfig config, Regions regions, RegionStore store, WatermarkView progress) {
        this.resolver = new HomeRegionResolver(regions.names(), owner -> Optional.empty());
        config.namespaces()
                .forEach((name, ns) -> placements.put(name, Placement.parse(ns.placement(), regions.names())));
        placements.put(OWNER_NAMESPACE, new Placement.Hash());
        this.owners = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(config.ownerCacheTtl())
                .buildAsync((owner, executor) -> store.get(
                                OWNER_NAMESPACE, owner, progress.generation(resolver.rendezvous(owner)))
                        .map(HomeRegions::regionOf)
                        .subscribeAsCompletionStage());
    }

    /** @return the home region of a key of a configured namespace (or of the owner directory) */
    public Uni<String> homeOf(String namespace, String key) {
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

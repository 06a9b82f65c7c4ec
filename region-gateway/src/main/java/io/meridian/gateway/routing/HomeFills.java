package io.meridian.gateway.routing;

import io.meridian.coherence.concurrent.SingleFlight;
import io.meridian.coherence.routing.ReadDecision;
import io.meridian.coherence.routing.Route;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.cache.KeyCache;
import io.meridian.gateway.purge.Purges;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;

/**
 * Fills of this region's copy of a key from its home ({@link ReadDecision.Plan#FILL_FROM_HOME}): one fill per key at a
 * time in this gateway, which concurrent misses share, kept here with set-if-newer. A shared fill may have been read
 * from the home before a reader's own write; that reader then fetches on its own, asking the home for at least the
 * version its token has seen from the home or a former home ({@link RegionClient#REQUIRE_HEADER}). A value a purge
 * covers (the home has not recorded the purge yet) counts as absent.
 */
final class HomeFills {

    private final RegionClient remote;
    private final Purges purges;
    private final KeyCache cache;
    private final WatermarkView watermarks;
    private final SingleFlight<String, Uni<Optional<RegionClient.Fetched>>> inFlight = new SingleFlight<>();

    HomeFills(RegionClient remote, Purges purges, KeyCache cache, WatermarkView watermarks) {
        this.remote = remote;
        this.purges = purges;
        this.cache = cache;
        this.watermarks = watermarks;
    }

    /** @return the home's answer for a reader holding {@code token}, after it was kept here */
    Uni<Optional<RegionClient.Fetched>> forRead(Route route, String ns, String key, SessionToken token) {
        String home = route.home();
        return shared(home, ns, key)
                .chain(fetched -> satisfies(home, fetched, token)
                        ? Uni.createFrom().item(fetched)
                        : fetch(home, ns, key, required(route, token)).call(alone -> keep(home, ns, key, alone)));
    }

    private Uni<Optional<RegionClient.Fetched>> shared(String home, String ns, String key) {
        String id = ns + "/" + key;
        return inFlight.join(
                id,
                landed -> fetch(home, ns, key, Optional.empty())
                        .call(fetched -> keep(home, ns, key, fetched))
                        .onTermination()
                        .invoke(landed)
                        .memoize()
                        .indefinitely());
    }

    private Uni<Optional<RegionClient.Fetched>> fetch(String home, String ns, String key, Optional<Version> atLeast) {
        return remote.fetch(home, ns, key, atLeast)
                .map(fetched -> fetched.filter(
                        found -> !purges.covers(ns, key, found.value().version())));
    }

    private Uni<Boolean> keep(String home, String ns, String key, Optional<RegionClient.Fetched> fetched) {
        if (fetched.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        Duration ttl = Duration.ofMillis(Math.max(1, fetched.get().remainingTtlMillis()));
        return cache.keepCopy(
                        ns, key, watermarks.generation(home), fetched.get().value(), ttl)
                .onFailure()
                .recoverWithItem(false);
    }

    /** Whether a shared fill serves a reader: it holds at least what the reader's token has seen from the home. */
    private static boolean satisfies(String home, Optional<RegionClient.Fetched> fetched, SessionToken token) {
        if (token.seenFrom(home).isEmpty()) {
            return true;
        }
        return fetched.isPresent()
                && token.isSatisfiedBy(home, fetched.get().value().version());
    }

    /** The version a fill must reach to honour the token: the highest it has seen from the home or a former home. */
    private static Optional<Version> required(Route route, SessionToken token) {
        Optional<Version> highest = token.seenFrom(route.home());
        for (String former : route.formers()) {
            Optional<Version> seen = token.seenFrom(former);
            if (seen.isPresent() && (highest.isEmpty() || seen.get().compareTo(highest.get()) > 0)) {
                highest = seen;
            }
        }
        return highest;
    }
}

package io.meridian.coherence.routing;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import java.util.function.ToLongFunction;

/**
 * How a read of one key is answered, decided from what the gateway knows, with no I/O. The gateway's single and batch
 * reads both carry out what {@link #decide} says, so the two cannot drift apart, and the coherence simulation's
 * gateways decide with it too, so the simulation checks this code and not a copy. Every input is in {@link Facts}; the
 * table-driven {@code ReadDecisionTest} covers every branch.
 */
public final class ReadDecision {

    /** The answer to a read, in the order the decision looks for it. */
    public enum Plan {
        /** The copy here, expired within the stale window, while degradation asks for no fresh reads. */
        STALE,
        /** This region's cache is being rebuilt after a loss: 503 {@code recovering}, or a stale copy if allowed. */
        UNAVAILABLE_REBUILDING,
        /** This region catches up before it answers for the key: 503 {@code draining}, or a stale copy if allowed. */
        UNAVAILABLE_RECOVERING,
        /** The expired copy here, while the origin reloads the key in the background. */
        REVALIDATE,
        /** The origin loads the key (once per region). */
        LOAD_FROM_ORIGIN,
        /** The copy here. */
        LOCAL,
        /** The copy here, and the origin reloads it in the background before it expires. */
        LOCAL_REFRESH_EARLY,
        /** The key's home fills it. */
        FILL_FROM_HOME
    }

    /**
     * What a read is decided on.
     *
     * @param self this region
     * @param route the key's natural home, current home and former homes
     * @param local the copy this region holds (absent, a tombstone, live or expired)
     * @param token the reader's session token
     * @param watermark per source region, the HLC up to which this region applied its log; -1 when unknown
     * @param freshReadsAllowed whether degradation lets reads go past a stale copy
     * @param staleWindowMillis how long after expiry a copy may answer while fresh reads are not allowed
     * @param readThrough whether the namespace loads misses from an origin
     * @param mayServeWhileRevalidating (read-through) whether the expired copy is within stale-while-revalidate
     * @param refreshEarly (read-through) whether the live copy should be reloaded before it expires (XFetch draw)
     * @param rebuildingCache whether this region's cache is being rebuilt
     * @param mayAnswerOwnKeys whether this region answers for its own keys of the namespace now
     */
    public record Facts(
            String self,
            Route route,
            StoredEntry local,
            SessionToken token,
            ToLongFunction<String> watermark,
            boolean freshReadsAllowed,
            long staleWindowMillis,
            boolean readThrough,
            boolean mayServeWhileRevalidating,
            boolean refreshEarly,
            boolean rebuildingCache,
            boolean mayAnswerOwnKeys) {}

    private ReadDecision() {}

    /** @return how the read is answered */
    public static Plan decide(Facts facts) {
        Route route = facts.route();
        StoredEntry local = facts.local();
        if (prefersStale(facts)) {
            return Plan.STALE;
        }
        if (route.home().equals(facts.self())) {
            if (facts.rebuildingCache()) {
                return Plan.UNAVAILABLE_REBUILDING;
            }
            if ((route.natural().equals(facts.self()) && !facts.mayAnswerOwnKeys()) || !freshForFormers(facts)) {
                return Plan.UNAVAILABLE_RECOVERING;
            }
            if (facts.readThrough() && !local.isLive()) {
                return facts.mayServeWhileRevalidating() ? Plan.REVALIDATE : Plan.LOAD_FROM_ORIGIN;
            }
            return facts.readThrough() && facts.refreshEarly() ? Plan.LOCAL_REFRESH_EARLY : Plan.LOCAL;
        }
        // With an origin a deleted key is only invalidated: the home loads it again, so a tombstone here is no answer.
        boolean decisive = facts.readThrough() ? local.isLive() : isDecisive(local);
        if (decisive && isFreshEnough(facts, route.home()) && freshForFormers(facts)) {
            return Plan.LOCAL;
        }
        return Plan.FILL_FROM_HOME;
    }

    /** @return whether a copy's own version satisfies the token for the key's home and every former home */
    public static boolean satisfiesAll(Route route, SessionToken token, Version version) {
        if (!token.isSatisfiedBy(route.home(), version)) {
            return false;
        }
        return route.formers().stream().allMatch(former -> token.isSatisfiedBy(former, version));
    }

    /**
     * Degraded (CRITICAL and above): a read without a session token for the key's home that finds a value expired
     * within the stale window answers it instead of loading from the origin or the home.
     */
    private static boolean prefersStale(Facts facts) {
        StoredEntry local = facts.local();
        return !facts.freshReadsAllowed()
                && local.value() != null
                && !local.value().tombstone()
                && !local.isLive()
                && -local.remainingTtlMillis() < facts.staleWindowMillis()
                && facts.token().seenFrom(facts.route().home()).isEmpty();
    }

    /** A live value or a tombstone answers a read; an absent or expired copy sends it to the home region. */
    private static boolean isDecisive(StoredEntry local) {
        return local.isLive() || (local.value() != null && local.value().tombstone());
    }

    /** The copy honours the token's versions from every former home: its own version or the watermark passed them. */
    private static boolean freshForFormers(Facts facts) {
        return facts.route().formers().stream().allMatch(former -> isFreshEnough(facts, former));
    }

    /** A copy is fresh enough for a region when it, or this region's watermark of that region, passed the token. */
    private static boolean isFreshEnough(Facts facts, String region) {
        java.util.Optional<Version> required = facts.token().seenFrom(region);
        if (required.isEmpty()) {
            return true;
        }
        Version copy =
                facts.local().value() == null ? null : facts.local().value().version();
        return facts.token().isSatisfiedBy(region, copy)
                || facts.watermark().applyAsLong(region) >= required.get().hlc();
    }
}

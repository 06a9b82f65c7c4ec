package io.meridian.gateway.origin;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * When a read-through copy is reloaded, decided without I/O from the copy, the namespace's origin settings, a random
 * draw and the origin's recent load times:
 *
 * <ul>
 *   <li><b>early refresh</b> (XFetch, Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
 *       Prevention", VLDB 2015): a read of a live copy reloads it with a probability that rises as its remaining TTL
 *       falls towards {@code delta × β × -ln(random)}, delta being the recent load time;
 *   <li><b>stale-while-revalidate</b> (RFC 5861): a copy expired less than that long ago answers while it is reloaded;
 *   <li><b>stale-if-error</b> (RFC 5861): when the origin fails, a copy expired less than that long ago answers.
 * </ul>
 */
final class RefreshPolicy {

    /** Weight of the newest load time in its exponentially weighted average. */
    private static final double NEWEST_WEIGHT = 0.2;

    private final DoubleSupplier random;
    /** Recent origin load time per namespace, in ms: XFetch's delta. */
    private final Map<String, Double> loadMillis = new ConcurrentHashMap<>();

    /** @param random uniform draws in [0, 1) */
    RefreshPolicy(DoubleSupplier random) {
        this.random = random;
    }

    /** @return whether the live {@code local} should be reloaded now, before it expires */
    boolean shouldRefreshEarly(String ns, OriginConfig origin, StoredEntry local, boolean allowed) {
        double beta = origin.earlyRefreshBeta();
        if (beta <= 0 || !local.isLive() || !allowed) {
            return false;
        }
        double delta = loadMillis.getOrDefault(ns, (double) origin.timeout().toMillis() / 10);
        double gap = -delta * beta * Math.log(1 - random.getAsDouble());
        return gap >= local.remainingTtlMillis();
    }

    /** @return whether the expired {@code local} may answer while it is reloaded */
    static boolean mayServeWhileRevalidating(OriginConfig origin, StoredEntry local) {
        return expiredWithin(local, origin.staleWhileRevalidate().toMillis()) && local.remainingTtlMillis() <= 0;
    }

    /** @return whether {@code local} may answer because the origin failed */
    static boolean mayServeOnError(OriginConfig origin, StoredEntry local) {
        return expiredWithin(local, origin.staleIfError().toMillis());
    }

    /** Notes how long a successful origin call took. */
    void loaded(String ns, double millis) {
        loadMillis.merge(ns, millis, (old, now) -> (1 - NEWEST_WEIGHT) * old + NEWEST_WEIGHT * now);
    }

    private static boolean expiredWithin(StoredEntry local, long windowMillis) {
        StoredValue value = local.value();
        return value != null && !value.tombstone() && -local.remainingTtlMillis() < windowMillis;
    }
}

package io.meridian.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.redis.RegionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sliding TTL ({@code refresh-on-access}): a read of a live value pushes its expiry to now plus the TTL it was
 * written with, never past the namespace's {@code max-ttl} after the write. Done in the reading region's Redis only,
 * in the background, with no event: other regions' copies slide with their own reads, and the home's copy with the
 * home's reads.
 *
 * <p>A value is extended only once a quarter of its TTL has passed since its expiry was last set; each gateway
 * remembers the expiry it last set per key, so reads answered from an older copy (the near cache) do not extend it
 * again: a hot key costs a few extensions per TTL, not one per read.
 */
@ApplicationScoped
public class SlidingTtl {

    private final WallClock wall;

    private static final Logger LOG = Logger.getLogger(SlidingTtl.class);
    /** The expiry this gateway last set for a key's version. */
    private record Extended(Version version, long expiresAtMillis) {}

    private final Namespaces namespaces;
    private final RegionStore store;
    private final GatewayMetrics metrics;
    private final Cache<String, Extended> extended = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1))
            .build();

    public SlidingTtl(Namespaces namespaces, RegionStore store, GatewayMetrics metrics, WallClock wall) {
        this.wall = wall;
        this.namespaces = namespaces;
        this.store = store;
        this.metrics = metrics;
    }

    /** Called for every read answered with {@code value}, stored under {@code generation} in this region. */
    public void touched(String ns, String key, long generation, StoredValue value) {
        NamespaceConfig config = namespaces.all().get(ns);
        if (config == null || !config.refreshOnAccess() || value.tombstone() || value.expiresAtMillis() == 0) {
            return;
        }
        long written = value.version().wallMillis();
        long window = value.expiresAtMillis() - written;
        long now = wall.millis();
        long target = Math.min(now + window, written + config.maxTtl().toMillis());
        String id = ns + "/" + key;
        Extended last = extended.getIfPresent(id);
        long current = last != null && last.version().equals(value.version())
                ? Math.max(last.expiresAtMillis(), value.expiresAtMillis())
                : value.expiresAtMillis();
        if (window <= 0 || target - current < window / 4) {
            return;
        }
        extended.put(id, new Extended(value.version(), target));
        store.extendExpiry(ns, key, generation, value.version(), target)
                .subscribe()
                .with(
                        extended -> {
                            if (extended) {
                                metrics.expiryRefreshed(ns);
                            }
                        },
                        failure -> LOG.debugf("cannot extend %s: %s", id, failure.getMessage()));
    }
}

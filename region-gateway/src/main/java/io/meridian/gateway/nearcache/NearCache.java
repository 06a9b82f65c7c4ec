package io.meridian.gateway.nearcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The near cache (L1): each gateway keeps the hottest values in memory, in front of Redis, for at most
 * {@code meridian.near-cache.ttl}.
 *
 * <ul>
 *   <li><b>Hot keys only.</b> The cache is small and Caffeine's W-TinyLFU admission keeps the most frequently read
 *       keys; a key read once does not push a hot one out.
 *   <li><b>Invalidation.</b> Every value a gateway stores in Redis and every event a replicator applies is announced on
 *       the region's pub/sub channel {@link RedisKeys#NEAR_CACHE_CHANNEL}; every gateway of the region drops the key.
 *       Pub/sub loses messages while a connection is down, so entries are served only while this gateway's
 *       subscription is up, the cache is emptied whenever it (re)connects, and the TTL bounds what a lost message can
 *       leave behind.
 *   <li><b>No late fill.</b> A value read from Redis is admitted only if no invalidation arrived since the read began
 *       (a counter striped by key), so a reader racing a write cannot put back the value the write replaced, while
 *       changes of other keys do not hold fills back.
 *   <li>Session tokens are checked by the caller against the entry's own version (never against the region's
 *       watermark: an entry can be older than what Redis holds).
 * </ul>
 */
@ApplicationScoped
public class NearCache {

    private final WallClock wall;

    private static final Logger LOG = Logger.getLogger(NearCache.class);
    private static final long RECONNECT_AFTER_MS = 1_000;
    /** Stripes of the invalidation counter; a power of two. */
    static final int STRIPES = 256;

    private final boolean enabled;
    private final Cache<String, Entry> entries;
    /**
     * Invalidations seen, striped by key: a read admits its value only if its key's stripe did not move, so a fill is
     * refused by a change of its own key (or of the few keys that share its stripe), not by any change in the region.
     */
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);

    private final Namespaces namespaces;
    private final Redis redis;
    private final Vertx vertx;
    private final GatewayMetrics metrics;
    private final String redisUri;
    private final Optional<String> redisPassword;
    private volatile boolean subscribed;
    private volatile boolean stopping;
    private volatile RedisConnection subscription;
    private volatile Redis subscriber;
    private final java.util.List<java.util.function.BiConsumer<String, String>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean reconnectPending =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** A cached value: served while both the value and the entry are unexpired. */
    private record Entry(StoredValue value, long generation, long valueExpiresAtMillis) {}

    public NearCache(
            MeridianConfig config,
            Namespaces namespaces,
            Redis redis,
            Vertx vertx,
            GatewayMetrics metrics,
            io.meridian.gateway.purge.Purges purges,
            @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts,
            @ConfigProperty(name = "quarkus.redis.password") Optional<String> redisPassword,
            WallClock wall) {
        this.wall = wall;
        MeridianConfig.NearCacheConfig near = config.nearCache();
        this.enabled = near.enabled();
        this.entries = Caffeine.newBuilder()
                .maximumSize(near.maxEntries())
                .expireAfterWrite(near.ttl())
                .build();
        this.namespaces = namespaces;
        this.redis = redis;
        this.vertx = vertx;
        this.metrics = metrics;
        this.redisUri = redisHosts.split(",")[0].trim();
        this.redisPassword = redisPassword;
        // A purge drops every entry it may cover: purges are rare, and the entries refill from Redis.
        purges.onChange(this::invalidateAll);
    }

    void start(@Observes StartupEvent start) {
        if (enabled) {
            subscribe();
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        RedisConnection connection = subscription;
        if (connection != null) {
            connection.close();
        }
        Redis client = subscriber;
        if (client != null) {
            client.close();
        }
    }

    /** @return whether entries are served now: enabled, and the invalidation subscription is up */
    public boolean isServing() {
        return enabled && subscribed;
    }

    /** @return whether the invalidation subscription is up now */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** @return the cached entry of a key under {@code generation}, while it is valid */
    public Optional<StoredEntry> get(String ns, String key, long generation) {
        if (!serves(ns)) {
            return Optional.empty();
        }
        Entry entry = entries.getIfPresent(id(ns, key));
        if (entry == null || entry.generation() != generation) {
            return Optional.empty();
        }
        long remaining = entry.valueExpiresAtMillis() - wall.millis();
        if (remaining <= 0) {
            entries.invalidate(id(ns, key));
            return Optional.empty();
        }
        metrics.nearCacheHit(ns);
        return Optional.of(new StoredEntry(entry.value(), remaining));
    }

    /** @return the invalidation count of the key to pass to {@link #offer} for a read of it that starts now */
    public long sequence(String ns, String key) {
        return invalidations.get(stripe(ns, key));
    }

    /**
     * Admits a live value read from Redis, unless an invalidation arrived since {@code sequence} was taken (the read
     * may have returned what a concurrent write just replaced).
     */
    public void offer(String ns, String key, long generation, StoredEntry read, long sequence) {
        if (!serves(ns) || !read.isLive() || invalidations.get(stripe(ns, key)) != sequence) {
            return;
        }
        long expiresAt = wall.millis() + read.remainingTtlMillis();
        entries.put(id(ns, key), new Entry(read.value(), generation, expiresAt));
    }

    /** Drops a key here and announces it to the region's other gateways. */
    public void changed(String ns, String key) {
        invalidate(ns, key);
        if (enabled) {
            redis.send(Request.cmd(Command.PUBLISH)
                            .arg(RedisKeys.NEAR_CACHE_CHANNEL)
                            .arg(ns + "/" + key))
                    .onFailure(failure -> LOG.debugf("cannot announce %s/%s: %s", ns, key, failure.getMessage()));
        }
    }

    /**
     * Calls {@code listener} with the namespace and key of every invalidation this gateway sees: its own changes and
     * the region's announcements.
     */
    public void onInvalidation(java.util.function.BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    /** @return entries held now (approximate), for status and tests */
    public long size() {
        return entries.estimatedSize();
    }

    private void invalidate(String ns, String key) {
        invalidations.incrementAndGet(stripe(ns, key));
        entries.invalidate(id(ns, key));
        listeners.forEach(listener -> listener.accept(ns, key));
    }

    /** Every key changed (a purge, a subscription lost or new): every stripe moves, every entry goes. */
    private void invalidateAll() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            invalidations.incrementAndGet(stripe);
        }
        entries.invalidateAll();
    }

    static int stripe(String ns, String key) {
        int hash = 31 * ns.hashCode() + key.hashCode();
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }

    private boolean serves(String ns) {
        if (!isServing()) {
            return false;
        }
        NamespaceConfig config = namespaces.all().get(ns);
        return config != null && config.nearCache();
    }

    private void subscribe() {
        RedisOptions options = new RedisOptions().setConnectionString(redisUri);
        redisPassword.ifPresent(options::setPassword);
        Redis client = Redis.createClient(vertx, options);
        subscriber = client;
        client.connect()
                .onSuccess(connection -> {
                    subscription = connection;
                    connection.handler(this::onMessage);
                    connection.exceptionHandler(failure -> lost("failed: " + failure.getMessage()));
                    connection.endHandler(ended -> lost("closed"));
                    connection
                            .send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.NEAR_CACHE_CHANNEL))
                            .onSuccess(ok -> {
                                // Whatever changed while unsubscribed is unknown: start empty.
                                invalidateAll();
                                subscribed = true;
                                LOG.debug("near cache: subscribed to invalidations");
                            })
                            .onFailure(failure -> lost("subscribe failed: " + failure.getMessage()));
                })
                .onFailure(failure -> lost("cannot connect: " + failure.getMessage()));
    }

    private void lost(String why) {
        boolean was = subscribed;
        subscribed = false;
        invalidateAll();
        RedisConnection connection = subscription;
        subscription = null;
        if (connection != null) {
            connection.close();
        }
        Redis client = subscriber;
        subscriber = null;
        if (client != null) {
            client.close();
        }
        if (stopping) {
            return;
        }
        if (was) {
            LOG.warnf("near cache off until invalidations are received again (subscription %s)", why);
        }
        if (reconnectPending.compareAndSet(false, true)) {
            vertx.setTimer(RECONNECT_AFTER_MS, id -> {
                reconnectPending.set(false);
                if (!stopping) {
                    subscribe();
                }
            });
        }
    }

    /** A pub/sub push: {@code message <channel> <payload>}; the payload is one {@code ns/key} per line. */
    private void onMessage(Response push) {
        if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        for (String line : push.get(2).toString().split("\n")) {
            int slash = line.indexOf('/');
            if (slash > 0) {
                invalidate(line.substring(0, slash), line.substring(slash + 1));
            }
        }
    }

    private static String id(String ns, String key) {
        return ns + "/" + key;
    }
}

package io.meridian.gateway.hotkeys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.nearcache.NearCache;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Hot-key replication, for namespaces where the near cache is off: a hot key is read from one of
 * {@code hot-key-replicas} copies of it at random ({@link RedisKeys#hotReplica}, each in its own hash slot, so in a
 * Redis Cluster on different shards) instead of from the one shard that holds the key.
 *
 * <ul>
 *   <li>A replica is filled from the key itself after a replica miss, only with a live value, with set-if-newer, for
 *       at most {@code meridian.hot-keys.replica-ttl}, and only if no invalidation arrived since the read began (the
 *       near cache's rule), so a reader racing a write cannot put the replaced value back.
 *   <li>The replicas are invalidated together: a gateway that stores the key deletes all of them before it answers;
 *       an event the replicator applies is announced on the near-cache channel and every gateway deletes the
 *       replicas it filled. A lost announcement leaves a replica for at most its TTL.
 *   <li>A session token is checked against the replica's own version, as for the near cache.
 * </ul>
 */
@ApplicationScoped
public class HotKeyReplicas {

    private static final Logger LOG = Logger.getLogger(HotKeyReplicas.class);

    private final Namespaces namespaces;
    private final HotKeys hotKeys;
    private final NearCache nearCache;
    private final Redis redis;
    private final GatewayMetrics metrics;
    private final CoherenceScripts scripts;
    private final Duration ttl;
    /** The replica keys this gateway filled, by namespace and key, to delete when the key changes. */
    private final Cache<String, Set<String>> filled;

    public HotKeyReplicas(
            Namespaces namespaces,
            HotKeys hotKeys,
            NearCache nearCache,
            Redis redis,
            GatewayMetrics metrics,
            MeridianConfig config,
            CoherenceScripts scripts) {
        this.namespaces = namespaces;
        this.hotKeys = hotKeys;
        this.nearCache = nearCache;
        this.redis = redis;
        this.metrics = metrics;
        // No grace after expiry: a replica is a disposable copy, the key itself keeps the version.
        this.scripts = scripts.withoutGrace();
        this.ttl = config.hotKeys().replicaTtl();
        this.filled =
                Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
        nearCache.onInvalidation(this::dropFilled);
    }

    /** @return how many replicas a namespace keeps of its hot keys here now; 0 when none */
    public int replicas(String ns) {
        NamespaceConfig config = namespaces.all().get(ns);
        if (config == null || config.hotKeyReplicas() <= 0 || config.nearCache()) {
            return 0;
        }
        // Replicas are invalidated through the near cache's subscription: none while it is down.
        return nearCache.isSubscribed() ? config.hotKeyReplicas() : 0;
    }

    /** @return a replica to read this key from, or -1 when the key is not read from replicas now */
    public int pick(String ns, String key) {
        int replicas = replicas(ns);
        return replicas > 0 && hotKeys.isHot(ns, key)
                ? ThreadLocalRandom.current().nextInt(replicas)
                : -1;
    }

    /** Reads one replica of the value stored under {@code valueKey}; counted as a hit when it is live. */
    public Uni<StoredEntry> read(String ns, String valueKey, int replica) {
        return Uni.createFrom()
                .completionStage(() -> scripts.getWithTtl(RedisKeys.hotReplica(valueKey, replica))
                        .toCompletionStage())
                .invoke(entry -> {
                    if (entry.isLive()) {
                        metrics.replicaHit(ns);
                    }
                });
    }

    /**
     * Fills a replica with what the key itself held when read, unless an invalidation arrived since {@code sequence}
     * was taken ({@link NearCache#sequence}); best effort, never delays the answer.
     */
    public void offer(String ns, String key, String valueKey, int replica, StoredEntry read, long sequence) {
        if (!read.isLive() || nearCache.sequence(ns, key) != sequence) {
            return;
        }
        String replicaKey = RedisKeys.hotReplica(valueKey, replica);
        long keepFor = Math.min(ttl.toMillis(), read.remainingTtlMillis());
        filled.asMap()
                .computeIfAbsent(ns + "/" + key, id -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .add(replicaKey);
        scripts.setIfNewer(replicaKey, read.value(), Math.max(1, keepFor))
                .onFailure(failure -> LOG.debugf("cannot fill %s: %s", replicaKey, failure.getMessage()));
    }

    /**
     * What follows a change stored in this region's Redis: the region's near caches drop the key (this gateway's at
     * once, the others' by the invalidation message), and its hot replicas go before the write is answered; if they
     * cannot, their TTL bounds them.
     *
     * @param generation the generation the key was stored under
     */
    public Uni<Void> changed(String ns, String key, long generation) {
        nearCache.changed(ns, key);
        return dropAll(ns, key, RedisKeys.value(ns, key, generation))
                .onFailure()
                .recoverWithNull();
    }

    /** Deletes every replica of the value stored under {@code valueKey}: the key itself just changed here. */
    public Uni<Void> dropAll(String ns, String key, String valueKey) {
        NamespaceConfig config = namespaces.all().get(ns);
        if (config == null || config.hotKeyReplicas() <= 0) {
            return Uni.createFrom().voidItem();
        }
        List<String> replicaKeys = new ArrayList<>();
        for (int replica = 0; replica < config.hotKeyReplicas(); replica++) {
            replicaKeys.add(RedisKeys.hotReplica(valueKey, replica));
        }
        return delete(replicaKeys);
    }

    /** An announced change: deletes the replicas of the key this gateway filled. */
    private void dropFilled(String ns, String key) {
        Set<String> replicaKeys = filled.asMap().remove(ns + "/" + key);
        if (replicaKeys != null) {
            delete(List.copyOf(replicaKeys)).subscribe().with(done -> {}, failure -> {});
        }
    }

    /** One {@code DEL} per replica: in a Redis Cluster they live in different slots. */
    private Uni<Void> delete(List<String> replicaKeys) {
        List<Uni<Object>> deletes = replicaKeys.stream()
                .map(replicaKey -> Uni.createFrom()
                        .completionStage(
                                () -> redis.send(Request.cmd(Command.DEL).arg(replicaKey))
                                        .toCompletionStage())
                        .map(reply -> (Object) reply))
                .toList();
        return Uni.join().all(deletes).andFailFast().replaceWithVoid();
    }
}

package io.meridian.gateway.redis;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.gateway.config.MeridianConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * This region's Redis, seen through the version-checked scripts of {@code coherence}. Every mutation is one Lua
 * script on one key.
 */
@ApplicationScoped
public class RegionStore {

    private final CoherenceScripts scripts;
    private final Redis redis;

    public RegionStore(Redis redis, MeridianConfig config) {
        this.redis = redis;
        // Expired values keep their version as long as tombstones do, so no late older copy can replace them.
        this.scripts = new CoherenceScripts(
                new ScriptRunner(redis),
                WallClock.system(),
                config.tombstoneTtl().toMillis());
    }

    private static String redisKey(String namespace, String key) {
        return RedisKeys.value(namespace, key);
    }

    /** Stores a copy of a key homed elsewhere, under its home's current generation. */
    public Uni<Boolean> setCopyIfNewer(String namespace, String key, long generation, StoredValue value, Duration ttl) {
        return uni(() -> scripts.setIfNewer(RedisKeys.value(namespace, key, generation), value, ttl.toMillis()));
    }

    /** Reads a copy of a key homed elsewhere, under its home's current generation. */
    public Uni<StoredEntry> getCopy(String namespace, String key, long generation) {
        return uni(() -> scripts.getWithTtl(RedisKeys.value(namespace, key, generation)));
    }

    public Uni<Boolean> setIfNewer(String namespace, String key, StoredValue value, Duration ttl) {
        return uni(() -> scripts.setIfNewer(redisKey(namespace, key), value, ttl.toMillis()));
    }

    public Uni<Boolean> tombstoneIfNewer(String namespace, String key, StoredValue tombstone, Duration ttl) {
        return uni(() -> scripts.tombstoneIfNewer(redisKey(namespace, key), tombstone, ttl.toMillis()));
    }

    public Uni<StoredEntry> get(String namespace, String key) {
        return uni(() -> scripts.getWithTtl(redisKey(namespace, key)));
    }

    /** @return Redis's answer to PING, for health checks */
    public Uni<String> ping() {
        return uni(() -> redis.send(Request.cmd(Command.PING)).map(String::valueOf));
    }

    private static <T> Uni<T> uni(java.util.function.Supplier<Future<T>> call) {
        return Uni.createFrom().completionStage(() -> call.get().toCompletionStage());
    }
}

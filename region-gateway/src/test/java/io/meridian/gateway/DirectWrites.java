package io.meridian.gateway;

import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Writes into the test Redis directly, as a replicator or another gateway of the region would (no announcement). */
final class DirectWrites {

    private DirectWrites() {}

    /** A version one millisecond newer than {@code version}, from the same origin. */
    static Version newer(Version version) {
        return new Version(version.hlc() + (1L << 16), version.origin());
    }

    /** Announces a changed key on the region's invalidation channel, as a replicator does after applying it. */
    static void announce(Redis redis, String ns, String key) throws Exception {
        redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PUBLISH)
                        .arg(io.meridian.coherence.redis.RedisKeys.NEAR_CACHE_CHANNEL)
                        .arg(ns + "/" + key))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    /** Stores a text value with set-if-newer under the Redis key, living a minute. */
    static void store(Redis redis, String redisKey, Version version, String body) throws Exception {
        long expiresAt = System.currentTimeMillis() + 60_000;
        new CoherenceScripts(new ScriptRunner(redis))
                .setIfNewer(
                        redisKey,
                        StoredValue.value(version, "text/plain", body.getBytes(StandardCharsets.UTF_8), expiresAt),
                        60_000)
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}

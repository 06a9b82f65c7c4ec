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

package io.meridian.gateway.redis;

import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * This region's Redis, seen through the version-checked scripts of {@code coherence}. Every mutation is one Lua
 * script on one key.
 */
@ApplicationScoped
public class RegionStore {

    private final CoherenceScripts scripts;

    /** @param scripts with expired values keeping their version as long as tombstones do ({@code ClockProducer}) */
    public RegionStore(CoherenceScripts scripts) {
        this.scripts = scripts;
    }

    /**
     * Stores a value or tombstone with set-if-newer under the generation of the key's home region (0 for keys homed
     * here, see {@link RedisKeys#value(String, String, long)}). Nothing else: a caller that stored a change tells the
     * near caches and the hot-key replicas itself ({@code hotkeys.HotKeyReplicas#changed}).
     *
     * @return whether the value was stored (it was newer than what the key held)
     */
    public Uni<Boolean> setIfNewer(String namespace, String key, long generation, StoredValue value, Duration ttl) {
        String valueKey = RedisKeys.value(namespace, key, generation);
        return uni(() -> scripts.setIfNewer(valueKey, value, ttl.toMillis()));
    }

    /** Sliding TTL: moves a live value's expiry forward while it still holds {@code version}. */
    public Uni<Boolean> extendExpiry(
            String namespace, String key, long generation, io.meridian.coherence.version.Version version, long to) {
        return uni(() -> scripts.extendExpiry(RedisKeys.value(namespace, key, generation), version, to));
    }

    /** Reads a key with its remaining TTL under the generation of the key's home region. */
    public Uni<StoredEntry> get(String namespace, String key, long generation) {
        return uni(() -> scripts.getWithTtl(RedisKeys.value(namespace, key, generation)));
    }

    private static <T> Uni<T> uni(java.util.function.Supplier<Future<T>> call) {
        return Uni.createFrom().completionStage(() -> call.get().toCompletionStage());
    }
}

package io.meridian.coherence.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The atomic, version-checked operations every Meridian component uses on Redis. Each is one Lua script on one key:
 * a write never replaces a newer version, applying the same version twice is a no-op, and a delete leaves a tombstone
 * that keeps its version so that a late copy carrying an older version cannot bring the value back.
 */
public final class CoherenceScripts {

    static final LuaScript SET_IF_NEWER = LuaScript.load("set_if_newer");
    static final LuaScript GET_WITH_TTL = LuaScript.load("get_with_ttl");

    private final ScriptRunner runner;

    public CoherenceScripts(ScriptRunner runner) {
        this.runner = runner;
    }

    /**
     * Stores {@code value} unless the key holds a newer or equal version.
     *
     * @return true when stored
     */
    public Future<Boolean> setIfNewer(String key, StoredValue value, long ttlMillis) {
        requirePositive(ttlMillis);
        return runner.run(SET_IF_NEWER, key, List.of(value.encode(), millis(ttlMillis)))
                .map(CoherenceScripts::applied);
    }

    /**
     * Replaces the key with a tombstone of {@code value}'s version unless the key holds a newer or equal version. The
     * tombstone lives {@code tombstoneTtlMillis}, which must outlast the longest replication delay.
     *
     * @return true when the tombstone was stored
     */
    public Future<Boolean> tombstoneIfNewer(String key, StoredValue tombstone, long tombstoneTtlMillis) {
        if (!tombstone.tombstone()) {
            throw new IllegalArgumentException("not a tombstone: " + tombstone);
        }
        return setIfNewer(key, tombstone, tombstoneTtlMillis);
    }

    /** Reads the key with its remaining TTL; empty when absent. Tombstones are returned as such. */
    public Future<StoredEntry> getWithTtl(String key) {
        return runner.run(GET_WITH_TTL, key, List.of()).map(CoherenceScripts::entry);
    }

    private static StoredEntry entry(Response reply) {
        Response raw = reply.get(0);
        if (raw == null) {
            return StoredEntry.ABSENT;
        }
        long pttl = reply.get(1).toLong();
        return new StoredEntry(StoredValue.decode(raw.toBytes()), pttl);
    }

    private static boolean applied(Response reply) {
        return reply.toInteger() == 1;
    }

    private static byte[] millis(long ttlMillis) {
        return Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII);
    }

    private static void requirePositive(long ttlMillis) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttl must be positive: " + ttlMillis);
        }
    }
}

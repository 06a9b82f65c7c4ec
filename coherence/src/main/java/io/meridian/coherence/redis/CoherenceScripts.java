package io.meridian.coherence.redis;

import io.meridian.coherence.clock.WallClock;
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
    private final WallClock clock;
    private final long expiredGraceMillis;

    /** Scripts that keep no value past its expiry (for tools and tests that do not need the guarantee below). */
    public CoherenceScripts(ScriptRunner runner) {
        this(runner, WallClock.system(), 0);
    }

    /**
     * @param expiredGraceMillis how long a value that records its expiry stays in Redis after it, keeping its
     *     version so that a late, older copy cannot take its place. Like a tombstone's TTL, it must outlast the
     *     longest replication delay.
     */
    public CoherenceScripts(ScriptRunner runner, WallClock clock, long expiredGraceMillis) {
        if (expiredGraceMillis < 0) {
            throw new IllegalArgumentException("expiredGraceMillis must not be negative");
        }
        this.runner = runner;
        this.clock = clock;
        this.expiredGraceMillis = expiredGraceMillis;
    }

    /**
     * Stores {@code value} unless the key holds a newer or equal version.
     *
     * @return true when stored
     */
    public Future<Boolean> setIfNewer(String key, StoredValue value, long ttlMillis) {
        requirePositive(ttlMillis);
        long keptFor = value.tombstone() || value.expiresAtMillis() == 0 ? ttlMillis : ttlMillis + expiredGraceMillis;
        return runner.run(SET_IF_NEWER, key, List.of(value.encode(), millis(keptFor)))
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

    /**
     * Reads the key with the remaining TTL of its value (from the expiry the value records, else the key's TTL);
     * {@link StoredEntry#ABSENT} when absent. Tombstones and expired values are returned as such.
     */
    public Future<StoredEntry> getWithTtl(String key) {
        return runner.run(GET_WITH_TTL, key, List.of()).map(this::entry);
    }

    private StoredEntry entry(Response reply) {
        Response raw = reply.get(0);
        if (raw == null) {
            return StoredEntry.ABSENT;
        }
        StoredValue value = StoredValue.decode(raw.toBytes());
        long remaining =
                value.expiresAtMillis() == 0 ? reply.get(1).toLong() : value.expiresAtMillis() - clock.millis();
        return new StoredEntry(value, remaining);
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

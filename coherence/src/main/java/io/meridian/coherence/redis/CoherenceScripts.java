package io.meridian.coherence.redis;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.version.Version;
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
    static final LuaScript RECORD_PURGE = LuaScript.load("record_purge");
    static final LuaScript FORGET_PURGE = LuaScript.load("forget_purge");
    static final LuaScript DELETE_IF_NOT_NEWER = LuaScript.load("delete_if_not_newer");
    static final LuaScript EXTEND_EXPIRY = LuaScript.load("extend_expiry");

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
     * @return the same scripts on the same Redis and clock, keeping no value past its expiry: for copies that are
     *     dropped on every change anyway (hot-key replicas), and for scripts that store no value
     */
    public CoherenceScripts withoutGrace() {
        return expiredGraceMillis == 0 ? this : new CoherenceScripts(runner, clock, 0);
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

    /**
     * Records a purge in the region's purge hash ({@link RedisKeys#PURGES}) unless a newer or equal purge of the same
     * namespace and owner is recorded.
     *
     * @return true when recorded
     */
    public Future<Boolean> recordPurge(CacheEvent.Purge purge) {
        return runner.run(
                        RECORD_PURGE,
                        RedisKeys.PURGES,
                        List.of(
                                RedisKeys.purgeField(purge.namespace(), purge.owner())
                                        .getBytes(StandardCharsets.UTF_8),
                                purge.version().toBytes()))
                .map(CoherenceScripts::applied);
    }

    /** Drops a recorded purge if it still holds {@code version}: every value it covered has expired. */
    public Future<Boolean> forgetPurge(String field, Version version) {
        return runner.run(
                        FORGET_PURGE,
                        RedisKeys.PURGES,
                        List.of(field.getBytes(StandardCharsets.UTF_8), version.toBytes()))
                .map(CoherenceScripts::applied);
    }

    /** Deletes a stored value or tombstone whose version is not newer than {@code version} (a purge's sweep). */
    public Future<Boolean> deleteIfNotNewer(String key, Version version) {
        return runner.run(DELETE_IF_NOT_NEWER, key, List.of(version.toBytes())).map(CoherenceScripts::applied);
    }

    /**
     * Sliding TTL: moves a live value's expiry to {@code expiresAtMillis} (its key kept that long plus the grace of
     * expired values) while it still holds {@code version}.
     *
     * @return true when extended
     */
    public Future<Boolean> extendExpiry(String key, Version version, long expiresAtMillis) {
        long keptFor = expiresAtMillis - clock.millis() + expiredGraceMillis;
        requirePositive(keptFor);
        byte[] expiry = java.nio.ByteBuffer.allocate(Long.BYTES)
                .putLong(expiresAtMillis)
                .array();
        return runner.run(EXTEND_EXPIRY, key, List.of(version.toBytes(), expiry, millis(keptFor)))
                .map(CoherenceScripts::applied);
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

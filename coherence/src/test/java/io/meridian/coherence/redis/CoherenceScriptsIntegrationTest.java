package io.meridian.coherence.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.coherence.version.Version;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

/**
 * The version-checked scripts against a real {@code redis-server} (the binary shipped in {@code embedded-redis}): the
 * scripts' byte comparison, TTL handling and the EVALSHA fallback are behaviour of Redis, not of our Java code.
 *
 * <p>The randomized tests print their seed; replay one with {@code -Dmeridian.test.seed=<seed>}.
 */
class CoherenceScriptsIntegrationTest {

    private static final long TTL = 60_000;
    private static final long TOMBSTONE_TTL = 30_000;
    private static final long SEED = Long.getLong("meridian.test.seed", System.nanoTime());

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis redis;
    private static CoherenceScripts scripts;

    private String keyPrefix;
    private int keys;

    @BeforeAll
    static void startRedis() {
        int port = freePort();
        server = RedisServer.builder()
                .port(port)
                .setting("save \"\"") // a cache: nothing written to disk
                .setting("appendonly no")
                .build();
        server.start();
        vertx = Vertx.vertx();
        // The pool's default wait queue (24) is smaller than the bursts the concurrency test sends.
        redis = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString("redis://127.0.0.1:" + port)
                        .setMaxPoolSize(8)
                        .setMaxPoolWaiting(1_024));
        scripts = new CoherenceScripts(new ScriptRunner(redis));
        System.out.printf("CoherenceScriptsIntegrationTest seed=%d (replay: -Dmeridian.test.seed=%d)%n", SEED, SEED);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void uniqueKeys(TestInfo test) {
        keyPrefix = "it:" + test.getTestMethod().orElseThrow().getName() + ":" + UUID.randomUUID() + ":";
        keys = 0;
    }

    // ---- purges, sweeps, sliding expiry ----

    @Test
    void recordPurge_keepsTheNewestPerNamespaceAndOwner_andBumpsTheEpochOnlyWhenRecorded() {
        String namespace = "ns" + UUID.randomUUID().toString().substring(0, 8);
        String epochBefore = epoch();

        assertThat(await(scripts.recordPurge(
                        new io.meridian.coherence.event.CacheEvent.Purge(namespace, "", version(200, 1)))))
                .isTrue();
        assertThat(await(scripts.recordPurge(
                        new io.meridian.coherence.event.CacheEvent.Purge(namespace, "", version(100, 1)))))
                .isFalse();
        assertThat(await(scripts.recordPurge(
                        new io.meridian.coherence.event.CacheEvent.Purge(namespace, "", version(200, 1)))))
                .isFalse();
        assertThat(await(scripts.recordPurge(
                        new io.meridian.coherence.event.CacheEvent.Purge(namespace, "alice", version(50, 1)))))
                .isTrue();

        assertThat(purgeVersion(namespace + "/")).isEqualTo(version(200, 1));
        assertThat(purgeVersion(namespace + "/alice")).isEqualTo(version(50, 1));
        assertThat(Long.parseLong(epoch())).isEqualTo(Long.parseLong(epochBefore.isEmpty() ? "0" : epochBefore) + 2);

        assertThat(await(scripts.forgetPurge(namespace + "/", version(100, 1)))).isFalse();
        assertThat(await(scripts.forgetPurge(namespace + "/", version(200, 1)))).isTrue();
        assertThat(purgeVersion(namespace + "/")).isNull();
    }

    @Test
    void deleteIfNotNewer_deletesOlderAndEqualVersions_andKeepsNewerOnes() {
        String older = newKey();
        String equal = newKey();
        String newer = newKey();
        await(scripts.setIfNewer(older, value(version(100, 1), "old"), TTL));
        await(scripts.setIfNewer(equal, StoredValue.tombstone(version(200, 1)), TTL));
        await(scripts.setIfNewer(newer, value(version(300, 1), "new"), TTL));

        assertThat(await(scripts.deleteIfNotNewer(older, version(200, 1)))).isTrue();
        assertThat(await(scripts.deleteIfNotNewer(equal, version(200, 1)))).isTrue();
        assertThat(await(scripts.deleteIfNotNewer(newer, version(200, 1)))).isFalse();
        assertThat(await(scripts.deleteIfNotNewer(newKey(), version(200, 1)))).isFalse();

        assertThat(stored(older)).isNull();
        assertThat(stored(equal)).isNull();
        assertThat(stored(newer)).isEqualTo(value(version(300, 1), "new"));
    }

    @Test
    void extendExpiry_movesTheExpiryOfThatVersionOnly() {
        String key = newKey();
        long now = System.currentTimeMillis();
        StoredValue written = StoredValue.value(version(100, 1), "text/plain", new byte[] {1}, now + 10_000)
                .withExternalVersion(7);
        await(scripts.setIfNewer(key, written, 10_000));

        assertThat(await(scripts.extendExpiry(key, version(99, 1), now + 50_000)))
                .isFalse();
        assertThat(await(scripts.extendExpiry(key, version(100, 1), now + 50_000)))
                .isTrue();

        assertThat(stored(key)).isEqualTo(written.withExpiry(now + 50_000));
        long pttl = await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();
        assertThat(pttl).isGreaterThan(40_000);

        String tombstone = newKey();
        await(scripts.setIfNewer(tombstone, StoredValue.tombstone(version(100, 1)), TTL));
        assertThat(await(scripts.extendExpiry(tombstone, version(100, 1), now + 50_000)))
                .isFalse();
    }

    @Test
    void setIfNewer_withoutExternalVersion_keepsTheStoredOne() {
        String key = newKey();
        await(scripts.setIfNewer(key, value(version(100, 1), "row 7").withExternalVersion(7), TTL));

        await(scripts.setIfNewer(key, value(version(200, 1), "no version named"), TTL));
        assertThat(stored(key))
                .isEqualTo(value(version(200, 1), "no version named").withExternalVersion(7));

        await(scripts.setIfNewer(key, StoredValue.tombstone(version(300, 1)), TTL));
        assertThat(stored(key)).isEqualTo(StoredValue.tombstone(version(300, 1)).withExternalVersion(7));

        await(scripts.setIfNewer(key, value(version(400, 1), "row 9").withExternalVersion(9), TTL));
        assertThat(stored(key).externalVersion()).isEqualTo(9);
    }

    private static String epoch() {
        Response epoch =
                await(redis.send(Request.cmd(Command.HGET).arg(RedisKeys.PURGES).arg(RedisKeys.PURGE_EPOCH)));
        return epoch == null ? "" : epoch.toString();
    }

    private static Version purgeVersion(String field) {
        Response reply =
                await(redis.send(Request.cmd(Command.HGET).arg(RedisKeys.PURGES).arg(field)));
        return reply == null ? null : Version.fromBytes(reply.toBytes(), 0);
    }

    // ---- set-if-newer ----

    @Test
    void setIfNewer_absentKey_storesValue() {
        String key = newKey();
        StoredValue value = value(version(100, 1), "first");

        assertThat(await(scripts.setIfNewer(key, value, TTL))).isTrue();
        assertThat(stored(key)).isEqualTo(value);
    }

    @Test
    void setIfNewer_olderVersion_isRefusedAndKeepsNewerValue() {
        String key = newKey();
        StoredValue newer = value(version(200, 1), "newer");
        await(scripts.setIfNewer(key, newer, TTL));

        boolean applied = await(scripts.setIfNewer(key, value(version(100, 1), "older"), TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(newer);
    }

    @Test
    void setIfNewer_sameClockLowerOrigin_isRefused() {
        String key = newKey();
        StoredValue newer = value(version(100, 2), "origin 2");
        await(scripts.setIfNewer(key, newer, TTL));

        boolean applied = await(scripts.setIfNewer(key, value(version(100, 1), "origin 1"), TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(newer);
    }

    @Test
    void setIfNewer_equalVersionWithOtherBody_isRefusedAndKeepsFirstBody() {
        String key = newKey();
        StoredValue first = value(version(100, 1), "first");
        await(scripts.setIfNewer(key, first, TTL));

        boolean applied = await(scripts.setIfNewer(key, value(version(100, 1), "second"), TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(first);
    }

    @Test
    void setIfNewer_sameValueTwice_secondIsNoOpAndDoesNotExtendTtl() {
        String key = newKey();
        StoredValue value = value(version(100, 1), "once");
        await(scripts.setIfNewer(key, value, TTL));

        boolean applied = await(scripts.setIfNewer(key, value, 10 * TTL));

        assertThat(applied).isFalse();
        StoredEntry entry = await(scripts.getWithTtl(key));
        assertThat(entry.value()).isEqualTo(value);
        assertThat(entry.remainingTtlMillis()).isBetween(1L, TTL);
    }

    @Test
    void setIfNewer_newerVersion_replacesValueAndItsTtl() {
        String key = newKey();
        await(scripts.setIfNewer(key, value(version(100, 1), "old"), TTL));
        StoredValue newer = value(version(101, 1), "new");

        boolean applied = await(scripts.setIfNewer(key, newer, 10 * TTL));

        assertThat(applied).isTrue();
        StoredEntry entry = await(scripts.getWithTtl(key));
        assertThat(entry.value()).isEqualTo(newer);
        assertThat(entry.remainingTtlMillis()).isGreaterThan(TTL).isLessThanOrEqualTo(10 * TTL);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void setIfNewer_nonPositiveTtl_throwsAndStoresNothing(long ttl) {
        String key = newKey();

        assertThatThrownBy(() -> scripts.setIfNewer(key, value(version(100, 1), "v"), ttl))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(await(scripts.getWithTtl(key))).isEqualTo(StoredEntry.ABSENT);
    }

    /** The script guards its TTL itself, for callers that bypass {@link CoherenceScripts}. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "soon", ""})
    void setIfNewerScript_invalidTtlArgument_isRejectedByRedisAndStoresNothing(String ttl) {
        String key = newKey();
        ScriptRunner runner = new ScriptRunner(redis);
        byte[] encoded = value(version(100, 1), "v").encode();

        Future<Response> reply =
                runner.run(CoherenceScripts.SET_IF_NEWER, key, List.of(encoded, ttl.getBytes(StandardCharsets.UTF_8)));

        assertThat(failureOf(reply)).hasMessageContaining("ttl must be a positive number");
        assertThat(await(scripts.getWithTtl(key))).isEqualTo(StoredEntry.ABSENT);
    }

    // ---- tombstones ----

    @Test
    void tombstoneIfNewer_olderValueStored_replacesItWithTombstone() {
        String key = newKey();
        await(scripts.setIfNewer(key, value(version(100, 1), "doomed"), TTL));
        StoredValue tombstone = StoredValue.tombstone(version(200, 1));

        boolean applied = await(scripts.tombstoneIfNewer(key, tombstone, TOMBSTONE_TTL));

        assertThat(applied).isTrue();
        StoredEntry entry = await(scripts.getWithTtl(key));
        assertThat(entry.value()).isEqualTo(tombstone);
        assertThat(entry.isLive()).isFalse();
    }

    @Test
    void tombstoneIfNewer_absentKey_storesTombstoneWithItsOwnTtl() {
        String key = newKey();

        await(scripts.tombstoneIfNewer(key, StoredValue.tombstone(version(200, 1)), TOMBSTONE_TTL));

        assertThat(await(scripts.getWithTtl(key)).remainingTtlMillis()).isBetween(1L, TOMBSTONE_TTL);
    }

    @Test
    void setIfNewer_olderThanTombstone_cannotResurrectValue() {
        String key = newKey();
        await(scripts.setIfNewer(key, value(version(100, 1), "v1"), TTL));
        StoredValue tombstone = StoredValue.tombstone(version(200, 1));
        await(scripts.tombstoneIfNewer(key, tombstone, TOMBSTONE_TTL));

        boolean applied = await(scripts.setIfNewer(key, value(version(150, 1), "late fill"), TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(tombstone);
    }

    @Test
    void setIfNewer_equalToTombstone_cannotResurrectValue() {
        String key = newKey();
        StoredValue tombstone = StoredValue.tombstone(version(200, 1));
        await(scripts.tombstoneIfNewer(key, tombstone, TOMBSTONE_TTL));

        boolean applied = await(scripts.setIfNewer(key, value(version(200, 1), "same version"), TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(tombstone);
    }

    @Test
    void setIfNewer_newerThanTombstone_replacesTombstone() {
        String key = newKey();
        await(scripts.tombstoneIfNewer(key, StoredValue.tombstone(version(200, 1)), TOMBSTONE_TTL));
        StoredValue newer = value(version(300, 1), "reborn");

        boolean applied = await(scripts.setIfNewer(key, newer, TTL));

        assertThat(applied).isTrue();
        assertThat(stored(key)).isEqualTo(newer);
        assertThat(await(scripts.getWithTtl(key)).isLive()).isTrue();
    }

    @Test
    void tombstoneIfNewer_newerValueStored_isRefused() {
        String key = newKey();
        StoredValue newer = value(version(300, 1), "newer");
        await(scripts.setIfNewer(key, newer, TTL));

        boolean applied = await(scripts.tombstoneIfNewer(key, StoredValue.tombstone(version(200, 1)), TOMBSTONE_TTL));

        assertThat(applied).isFalse();
        assertThat(stored(key)).isEqualTo(newer);
    }

    @Test
    void tombstoneIfNewer_liveValue_throws() {
        assertThatThrownBy(() -> scripts.tombstoneIfNewer(newKey(), value(version(1, 1), "v"), TOMBSTONE_TTL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tombstoneIfNewer_nonPositiveTtl_throws() {
        assertThatThrownBy(() -> scripts.tombstoneIfNewer(newKey(), StoredValue.tombstone(version(1, 1)), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- get with TTL ----

    @Test
    void getWithTtl_storedValue_returnsValueAndRemainingTtlAtMostTheSetTtl() {
        String key = newKey();
        StoredValue value = value(version(100, 1), "with ttl");
        await(scripts.setIfNewer(key, value, TTL));

        StoredEntry entry = await(scripts.getWithTtl(key));

        assertThat(entry.value()).isEqualTo(value);
        assertThat(entry.isLive()).isTrue();
        assertThat(entry.remainingTtlMillis()).isPositive().isLessThanOrEqualTo(TTL);
    }

    @Test
    void getWithTtl_absentKey_returnsAbsent() {
        StoredEntry entry = await(scripts.getWithTtl(newKey()));

        assertThat(entry).isEqualTo(StoredEntry.ABSENT);
        assertThat(entry.value()).isNull();
    }

    @Test
    void getWithTtl_binaryBody_returnsEveryByteUnchanged() {
        String key = newKey();
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        StoredValue value = StoredValue.value(version(100, 1), "application/octet-stream", body);
        await(scripts.setIfNewer(key, value, TTL));

        assertThat(stored(key)).isEqualTo(value);
    }

    // ---- EVALSHA, NOSCRIPT and EVAL ----

    @Test
    void setIfNewer_afterScriptFlush_fallsBackToEvalAndStores() {
        String key = newKey();
        await(scripts.setIfNewer(key, value(version(100, 1), "cached"), TTL));
        flushScripts();
        StoredValue newer = value(version(200, 1), "after flush");

        boolean applied = await(scripts.setIfNewer(key, newer, TTL));

        assertThat(applied).isTrue();
        assertThat(stored(key)).isEqualTo(newer);
    }

    @Test
    void getWithTtl_afterScriptFlush_fallsBackToEvalAndReads() {
        String key = newKey();
        StoredValue value = value(version(100, 1), "v");
        await(scripts.setIfNewer(key, value, TTL));
        flushScripts();

        assertThat(await(scripts.getWithTtl(key)).value()).isEqualTo(value);
    }

    @Test
    void run_afterScriptFlush_evalCachesScriptAgainForEvalSha() {
        flushScripts();

        await(scripts.getWithTtl(newKey()));

        Response exists =
                await(redis.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(CoherenceScripts.GET_WITH_TTL.sha1())));
        assertThat(exists.get(0).toInteger()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set_if_newer", "get_with_ttl"})
    void sha1_ofEveryScript_equalsDigestRedisComputes(String name) {
        LuaScript script = LuaScript.load(name);

        Response loaded =
                await(redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())));

        assertThat(loaded.toString()).isEqualTo(script.sha1());
    }

    @Test
    void run_errorOtherThanNoScript_failsWithRedisError() {
        String key = newKey();
        await(redis.send(Request.cmd(Command.HSET).arg(key).arg("field").arg("value")));

        Throwable failure = failureOf(scripts.setIfNewer(key, value(version(100, 1), "v"), TTL));

        assertThat(failure).hasMessageStartingWith("WRONGTYPE");
    }

    // ---- byte order in Lua ----

    /** Pairs (lower, higher) that differ only in bytes >= 0x80 or across a carry: signed or strcoll order breaks. */
    static Stream<Arguments> highBytePairs() {
        return Stream.of(
                Arguments.of(new Version(0x00FF_FFFF_FFFF_FFFFL, 0), new Version(0x0100_0000_0000_0000L, 0)),
                Arguments.of(new Version(0x7FL, 0), new Version(0x80L, 0)),
                Arguments.of(new Version(0x80L, 0), new Version(0xFFL, 0)),
                Arguments.of(new Version(0xFFL, 0), new Version(0x100L, 0)),
                Arguments.of(new Version(0x0000_0080_0000_0000L, 0), new Version(0x0000_00FF_0000_0000L, 0)),
                Arguments.of(new Version(0x7FFF_FFFF_FFFF_FFFEL, 0xFFFF), new Version(0x7FFF_FFFF_FFFF_FFFFL, 0)),
                Arguments.of(new Version(42, 0x7F), new Version(42, 0x80)),
                Arguments.of(new Version(42, 0x80), new Version(42, 0xFF)),
                Arguments.of(new Version(42, 0x00FF), new Version(42, 0x0100)),
                Arguments.of(new Version(42, 0x7FFF), new Version(42, 0x8000)),
                Arguments.of(new Version(42, 0x80FF), new Version(42, 0xFF00)));
    }

    @ParameterizedTest
    @MethodSource("highBytePairs")
    void setIfNewer_lowerAfterHigherDifferingInHighBytes_isRefused(Version lower, Version higher) {
        String key = newKey();
        await(scripts.setIfNewer(key, value(higher, "higher"), TTL));

        assertThat(await(scripts.setIfNewer(key, value(lower, "lower"), TTL))).isFalse();
        assertThat(stored(key).version()).isEqualTo(higher);
    }

    @ParameterizedTest
    @MethodSource("highBytePairs")
    void setIfNewer_higherAfterLowerDifferingInHighBytes_isApplied(Version lower, Version higher) {
        String key = newKey();
        await(scripts.setIfNewer(key, value(lower, "lower"), TTL));

        assertThat(await(scripts.setIfNewer(key, value(higher, "higher"), TTL))).isTrue();
        assertThat(stored(key).version()).isEqualTo(higher);
    }

    @Test
    void setIfNewer_randomVersionPairs_luaDecisionMatchesJavaOrder() {
        Random random = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            String key = newKey();
            Version first = randomVersion(random);
            Version second = randomVersion(random);
            await(scripts.setIfNewer(key, value(first, "first"), TTL));

            boolean applied = await(scripts.setIfNewer(key, value(second, "second"), TTL));

            assertThat(applied).as("seed %d: %s after %s", SEED, second, first).isEqualTo(second.isNewerThan(first));
        }
    }

    // ---- order independence ----

    @Test
    void setIfNewer_randomPermutationWithDuplicates_appliesExactlyTheNewMaximaAndEndsWithMaximum() {
        Random random = new Random(SEED);
        for (int round = 0; round < 100; round++) {
            String key = newKey();
            List<Event> events = shuffledWithDuplicates(random, distinctEvents(random, 1 + random.nextInt(25)));
            Version largestApplied = null;

            for (Event event : events) {
                boolean expected =
                        largestApplied == null || event.value().version().isNewerThan(largestApplied);
                boolean applied = await(apply(key, event));
                assertThat(applied)
                        .as("seed %d, round %d: %s after largest %s", SEED, round, event, largestApplied)
                        .isEqualTo(expected);
                if (expected) {
                    largestApplied = event.value().version();
                }
            }

            assertThat(stored(key))
                    .as("seed %d, round %d, order %s", SEED, round, events)
                    .isEqualTo(maximum(events).value());
        }
    }

    @Test
    void setIfNewer_concurrentRandomEventsWithDuplicates_endsWithMaximumAppliedOnce() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        for (int round = 0; round < 30; round++) {
            String key = newKey();
            List<Event> events = shuffledWithDuplicates(random, distinctEvents(random, 1 + random.nextInt(40)));
            Event maximum = maximum(events);

            List<Future<Boolean>> replies = new ArrayList<>();
            for (Event event : events) {
                replies.add(apply(key, event));
            }

            int maximumApplied = 0;
            for (int i = 0; i < events.size(); i++) {
                boolean applied = await(replies.get(i));
                if (applied && events.get(i).equals(maximum)) {
                    maximumApplied++;
                }
            }
            assertThat(maximumApplied).as("seed %d, round %d", SEED, round).isEqualTo(1);
            assertThat(stored(key)).as("seed %d, round %d", SEED, round).isEqualTo(maximum.value());
        }
    }

    // ---- helpers ----

    /** One replicated change: a value or a tombstone. */
    record Event(StoredValue value) {
        @Override
        public String toString() {
            return (value.tombstone() ? "delete@" : "write@") + value.version();
        }
    }

    private static Future<Boolean> apply(String key, Event event) {
        return event.value().tombstone()
                ? scripts.tombstoneIfNewer(key, event.value(), TOMBSTONE_TTL)
                : scripts.setIfNewer(key, event.value(), TTL);
    }

    private static List<Event> distinctEvents(Random random, int count) {
        Map<Version, Event> byVersion = new LinkedHashMap<>();
        while (byVersion.size() < count) {
            Version version = randomVersion(random);
            StoredValue value = random.nextInt(3) == 0
                    ? StoredValue.tombstone(version)
                    : value(version, "body of " + version + " #" + random.nextInt(1_000));
            byVersion.putIfAbsent(version, new Event(value));
        }
        return new ArrayList<>(byVersion.values());
    }

    /** Every event one to three times (Kafka redelivers), in random order (regions race). */
    private static List<Event> shuffledWithDuplicates(Random random, List<Event> events) {
        List<Event> delivered = new ArrayList<>();
        for (Event event : events) {
            int copies = 1 + random.nextInt(3);
            for (int i = 0; i < copies; i++) {
                delivered.add(event);
            }
        }
        Collections.shuffle(delivered, random);
        return delivered;
    }

    private static Event maximum(List<Event> events) {
        return events.stream()
                .max(Comparator.comparing(event -> event.value().version()))
                .orElseThrow();
    }

    /** Mostly versions near byte boundaries, so that random pairs often share a long prefix. */
    private static Version randomVersion(Random random) {
        long[] clocks = {0x7FL, 0x80L, 0xFFL, 0x100L, 0x00FF_FFFF_FFFF_FFFFL, 0x0100_0000_0000_0000L, 0x8000L};
        int[] origins = {0, 0x7F, 0x80, 0xFF, 0x100, 0x8000, 0xFFFF};
        long hlc = switch (random.nextInt(4)) {
            case 0 -> clocks[random.nextInt(clocks.length)];
            case 1 -> clocks[random.nextInt(clocks.length)] + random.nextInt(3) - 1;
            case 2 -> random.nextLong() & Long.MAX_VALUE;
            default -> random.nextInt(1 << 12);
        };
        int origin = random.nextBoolean() ? origins[random.nextInt(origins.length)] : random.nextInt(0x10000);
        return new Version(Math.max(0, hlc), origin);
    }

    private static Version version(long hlc, int origin) {
        return new Version(hlc, origin);
    }

    private static StoredValue value(Version version, String body) {
        return StoredValue.value(version, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }

    private String newKey() {
        return keyPrefix + keys++;
    }

    private static StoredValue stored(String key) {
        return await(scripts.getWithTtl(key)).value();
    }

    private static void flushScripts() {
        await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    }

    @Test
    void lease_isTakenOnce_extendedAndReleasedOnlyByItsHolder() {
        RedisLease leases = new RedisLease(redis);
        String lease = keyPrefix + "lease";
        Duration ttl = Duration.ofSeconds(30);

        assertThat(await(leases.acquire(lease, "a", ttl))).isTrue();
        assertThat(await(leases.acquire(lease, "b", ttl))).as("held by a").isFalse();
        assertThat(await(leases.takeOrRenew(lease, "b", ttl))).isEqualTo(RedisLease.Held.BY_ANOTHER);
        assertThat(await(leases.release(lease, "b"))).as("b never held it").isFalse();

        await(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PEXPIRE)
                .arg(lease)
                .arg(1_000)));
        assertThat(await(leases.takeOrRenew(lease, "a", ttl))).isEqualTo(RedisLease.Held.RENEWED);
        assertThat(pttl(lease)).as("extended back to the TTL").isGreaterThan(20_000);

        assertThat(await(leases.release(lease, "a"))).isTrue();
        assertThat(await(leases.takeOrRenew(lease, "b", ttl))).as("free again").isEqualTo(RedisLease.Held.TAKEN);
        assertThat(await(leases.release(lease, "a")))
                .as("a's lease ended; b's stays")
                .isFalse();
        assertThat(pttl(lease)).isPositive();
    }

    @Test
    void lease_ofAHolderThatDied_expiresByItself() {
        RedisLease leases = new RedisLease(redis);
        String lease = keyPrefix + "lease";
        assertThat(await(leases.acquire(lease, "dead", Duration.ofMillis(1)))).isTrue();

        // The lease's TTL is Redis's to count; expiry is a condition on Redis, waited for, not slept on.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!await(leases.acquire(lease, "next", Duration.ofSeconds(30)))) {
            assertThat(System.nanoTime()).as("the lease never expired").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(await(leases.release(lease, "dead"))).isFalse();
        assertThat(await(leases.release(lease, "next"))).isTrue();
    }

    private static long pttl(String key) {
        return await(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PTTL)
                        .arg(key)))
                .toLong();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(5, SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Redis call failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("Redis call did not complete: " + e, e);
        }
    }

    private static Throwable failureOf(Future<?> future) {
        try {
            Object result = future.toCompletionStage().toCompletableFuture().get(5, SECONDS);
            throw new AssertionError("expected a failure but got " + result);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("Redis call did not complete: " + e, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.meridian.coherence.simulation;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.redis.StoredEntry;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The simulation's in-memory store ({@link ReplicaStore} with {@link ApplyRules}) against the real thing: the same
 * events, reordered and duplicated, through {@link EventApplier} and the Lua scripts on a real {@code redis-server}.
 * After every event both must agree on whether it was applied, on what is stored and, within the test's own running
 * time, on the remaining TTL of the value and on how long its Redis key stays. If this test fails, the simulation no
 * longer models production.
 *
 * <p>Both run with production's settings: an expired value keeps its version for a grace equal to the tombstone TTL
 * ({@code CoherenceScripts}' {@code expiredGraceMillis}, as {@code RegionApplier} and {@code RegionStore} pass it).
 * Each round applies its log at NOW, then moves the clock of the model and of the scripts {@link #LATER} ms on (past
 * the expiry of the short-lived values, within the grace; Redis's own key TTLs run in real time and keep everything)
 * and delivers the whole log again, as a replay after a consumer restart does: an expired value must still refuse
 * every older event in both.
 *
 * <p>Prints its seed; replay with {@code -Dmeridian.test.seed=<seed>}.
 */
class ApplyRulesIntegrationTest {

    private static final long NOW = Simulation.START_MILLIS;
    private static final long TOMBSTONE_TTL = 30_000;
    /** Production: the grace of expired values is the tombstone TTL. */
    private static final long EXPIRED_GRACE = TOMBSTONE_TTL;
    /** How far the clock moves before the replay: past every short TTL of {@link #steps}, well within the grace. */
    private static final long LATER = 12_000;

    private static final long SEED = Long.getLong("meridian.test.seed", System.nanoTime());
    private static final HomeLog.Kind[] KINDS = HomeLog.Kind.values();

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis redis;
    private static EventApplier applier;
    private static CoherenceScripts scripts;
    private static final AtomicLong clock = new AtomicLong(NOW);

    @BeforeAll
    static void startRedis() {
        int port = freePort();
        server = RedisServer.builder()
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port));
        // The applier's clock is the model's, standing still within a phase: the scripts get TTLs, never absolute
        // times; a value's recorded expiry is compared with this clock when it is read.
        scripts = new CoherenceScripts(new ScriptRunner(redis), clock::get, EXPIRED_GRACE);
        applier = new EventApplier(scripts, clock::get, TOMBSTONE_TTL);
        System.out.printf("ApplyRulesIntegrationTest seed=%d (replay: -Dmeridian.test.seed=%d)%n", SEED, SEED);
    }

    @AfterAll
    static void stopRedis() {
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

    @Test
    void applyRules_reorderedDuplicatedLogs_agreeWithEventApplierOnRedis() {
        Random random = new Random(SEED);
        for (int round = 0; round < 60; round++) {
            clock.set(NOW);
            String namespace = "sim-" + UUID.randomUUID();
            List<CacheEvent> log = HomeLog.build(NOW - 5_000, 0x0200, steps(random)).stream()
                    .map(ApplyRulesIntegrationTest::notAboutToExpire)
                    .toList();
            ReplicaStore model = new ReplicaStore(clock::get, TOMBSTONE_TTL, EXPIRED_GRACE, (key, value) -> {});
            long started = System.currentTimeMillis();
            deliver(log, deliveryOrder(log.size(), random), namespace, model, started, "round " + round);

            clock.set(NOW + LATER);
            deliver(log, deliveryOrder(log.size(), random), namespace, model, started, "replay of round " + round);
        }
    }

    private static void deliver(
            List<CacheEvent> log,
            List<Integer> order,
            String namespace,
            ReplicaStore model,
            long started,
            String phase) {
        for (int offset : order) {
            CacheEvent event = log.get(offset);
            EventApplier.Outcome outcome = await(applier.apply(inNamespace(event, namespace)));
            boolean applied = model.apply(event);

            String context = "seed " + SEED + ", " + phase + ", " + event;
            assertThat(outcome == EventApplier.Outcome.APPLIED).as(context).isEqualTo(applied);
            assertSameState(namespace, ApplyRules.keyOf(event), model, started, context);
        }
    }

    /**
     * What a reader gets (an expired value reads as the tombstone of its version, which is how the model keeps it),
     * the value's remaining TTL, and how long the Redis key stays: the value's TTL plus the grace, or the tombstone's.
     * Redis counts key TTLs in real time from the round's start while the model's clock jumps, hence the bounds.
     */
    private static void assertSameState(
            String namespace, String key, ReplicaStore model, long started, String context) {
        String redisKey = RedisKeys.value(namespace, key);
        StoredEntry inRedis = await(scripts.getWithTtl(redisKey));
        ReplicaStore.Entry inModel = model.get(key);

        if (inModel == null) {
            assertThat(inRedis.value()).as(context).isNull();
            return;
        }
        assertThat(inRedis.value()).as(context).isNotNull();
        assertThat(inRedis.value().version())
                .as(context)
                .isEqualTo(inModel.value().version());
        boolean expiredInRedis = inRedis.value().tombstone() || inRedis.remainingTtlMillis() <= 0;
        assertThat(expiredInRedis)
                .as(context + ": read as not found")
                .isEqualTo(inModel.value().tombstone());
        if (!inModel.value().tombstone()) {
            assertThat(inRedis.value()).as(context).isEqualTo(inModel.value());
            assertThat(inRedis.remainingTtlMillis()).as(context).isEqualTo(model.remainingTtl(inModel));
        }
        // Redis times key expiry with its own cached clock: allow it some tens of milliseconds beyond the elapsed time.
        long elapsed = System.currentTimeMillis() - started;
        long keptFor = model.keptUntil(inModel) - NOW;
        assertThat(await(pttl(redisKey))).as(context + ": PTTL").isBetween(keptFor - elapsed - 50, keptFor);
    }

    /** The events of one home for four keys, a third of the writes with TTLs that are short or already over. */
    private static List<HomeLog.Step> steps(Random random) {
        List<HomeLog.Step> steps = new ArrayList<>();
        int count = 1 + random.nextInt(25);
        for (int i = 0; i < count; i++) {
            long ttl = random.nextInt(3) == 0 ? random.nextInt(8_000) - 3_000 : 600_000;
            steps.add(new HomeLog.Step(
                    random.nextInt(1_000) - 400, "k" + random.nextInt(4), KINDS[random.nextInt(KINDS.length)], ttl));
        }
        return steps;
    }

    /**
     * Real Redis counts TTLs down in real time while the model's clock stands still at NOW: a value with less than a
     * few seconds left could expire in Redis during a slow round and the two would disagree. Such a write is given
     * 5 s more; writes already expired at NOW, and long-lived ones, are kept as they are.
     */
    private static CacheEvent notAboutToExpire(CacheEvent event) {
        if (event instanceof CacheEvent.Write w && w.expiresAtMillis() > NOW && w.expiresAtMillis() < NOW + 5_000) {
            return new CacheEvent.Write(
                    w.namespace(), w.key(), w.version(), w.expiresAtMillis() + 5_000, w.contentType(), w.value());
        }
        return event;
    }

    private static List<Integer> deliveryOrder(int logSize, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int offset = 0; offset < logSize; offset++) {
            order.add(offset);
            if (random.nextInt(4) == 0) {
                order.add(offset);
            }
        }
        Collections.shuffle(order, random);
        return order;
    }

    private static Future<Long> pttl(String key) {
        return redis.send(Request.cmd(Command.PTTL).arg(key)).map(Response::toLong);
    }

    private static CacheEvent inNamespace(CacheEvent event, String namespace) {
        if (event instanceof CacheEvent.Write w) {
            return new CacheEvent.Write(
                    namespace, w.key(), w.version(), w.expiresAtMillis(), w.contentType(), w.value());
        }
        CacheEvent.Delete d = (CacheEvent.Delete) event;
        return new CacheEvent.Delete(namespace, d.key(), d.version());
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

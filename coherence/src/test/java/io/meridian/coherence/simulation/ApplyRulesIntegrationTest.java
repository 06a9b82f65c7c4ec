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
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The simulation's in-memory store ({@link ReplicaStore} with {@link ApplyRules}) against the real thing: the same
 * events, reordered and duplicated, through {@link EventApplier} and the Lua scripts on a real {@code redis-server}.
 * After every event both must agree on whether it was applied, on what is stored and, within the test's own running
 * time, on the remaining TTL. If this test fails, the simulation no longer models production.
 *
 * <p>Prints its seed; replay with {@code -Dmeridian.test.seed=<seed>}.
 */
class ApplyRulesIntegrationTest {

    private static final long NOW = Simulation.START_MILLIS;
    private static final long TOMBSTONE_TTL = 30_000;
    private static final long SEED = Long.getLong("meridian.test.seed", System.nanoTime());
    private static final HomeLog.Kind[] KINDS = HomeLog.Kind.values();

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis redis;
    private static EventApplier applier;
    private static CoherenceScripts scripts;

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
        scripts = new CoherenceScripts(new ScriptRunner(redis), () -> NOW, 0);
        // The applier's clock stands still at NOW, like the model's: the scripts get TTLs, never absolute times.
        applier = new EventApplier(scripts, () -> NOW, TOMBSTONE_TTL);
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
            String namespace = "sim-" + UUID.randomUUID();
            List<CacheEvent> log = HomeLog.build(NOW - 5_000, 0x0200, steps(random)).stream()
                    .map(ApplyRulesIntegrationTest::notAboutToExpire)
                    .toList();
            ReplicaStore model = new ReplicaStore(() -> NOW, TOMBSTONE_TTL, false, (key, value) -> {});
            long started = System.currentTimeMillis();
            for (int offset : deliveryOrder(log.size(), random)) {
                CacheEvent event = log.get(offset);
                EventApplier.Outcome outcome = await(applier.apply(inNamespace(event, namespace)));
                boolean applied = model.apply(event);

                String context = "seed " + SEED + ", round " + round + ", " + event;
                assertThat(outcome == EventApplier.Outcome.APPLIED).as(context).isEqualTo(applied);
                assertSameState(namespace, ApplyRules.keyOf(event), model, started, context);
            }
        }
    }

    private static void assertSameState(
            String namespace, String key, ReplicaStore model, long started, String context) {
        StoredEntry inRedis = await(scripts.getWithTtl(RedisKeys.value(namespace, key)));
        ReplicaStore.Entry inModel = model.get(key);

        assertThat(inRedis.value()).as(context).isEqualTo(inModel == null ? null : inModel.value());
        if (inModel != null) {
            long elapsed = System.currentTimeMillis() - started;
            assertThat(inRedis.remainingTtlMillis())
                    .as(context)
                    .isBetween(model.remainingTtl(inModel) - elapsed - 5, model.remainingTtl(inModel));
        }
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

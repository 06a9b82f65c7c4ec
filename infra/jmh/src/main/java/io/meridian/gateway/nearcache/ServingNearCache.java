package io.meridian.gateway.nearcache;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.purge.Purges;
import io.meridian.infra.servers.RedisNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link NearCache} outside Quarkus, serving as in a gateway: built from a {@link MeridianConfig} read by
 * SmallRye Config with the gateway's own mapping, subscribed to the invalidation channel of a real Redis (it serves
 * nothing until that subscription is up). It lives in the near cache's package to start the subscription, which
 * Quarkus does at startup through a package-private observer.
 *
 * <p>One namespace, {@link #NAMESPACE}, with the near cache on; entries and values live for an hour, so that none
 * expires while a benchmark or the memory check runs.
 */
public final class ServingNearCache implements AutoCloseable {

    /** The namespace every entry is stored under. */
    public static final String NAMESPACE = "bench";

    private static final long GENERATION = 0;
    private static final long VALUE_TTL_MILLIS = TimeUnit.HOURS.toMillis(1);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(20);

    private final RedisNode redisNode;
    private final Vertx vertx;
    private final Redis redis;
    private final NearCache cache;

    private ServingNearCache(RedisNode redisNode, Vertx vertx, Redis redis, NearCache cache) {
        this.redisNode = redisNode;
        this.vertx = vertx;
        this.redis = redis;
        this.cache = cache;
    }

    /** Starts a Redis, a near cache holding up to {@code maxEntries}, and waits until the cache serves. */
    public static ServingNearCache start(int maxEntries) {
        RedisNode redisNode = RedisNode.start();
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, redisNode.uri());
        MeridianConfig config = config(maxEntries);
        Namespaces namespaces = new Namespaces(config);
        WallClock wall = WallClock.system();
        // Never started: no purge happens here, the near cache only registers its purge listener with it.
        Purges purges = new Purges(
                namespaces,
                null,
                new HybridLogicalClock(wall),
                redis,
                vertx,
                config,
                new CoherenceScripts(new ScriptRunner(redis)));
        NearCache cache = new NearCache(
                config,
                namespaces,
                redis,
                vertx,
                new GatewayMetrics(new SimpleMeterRegistry()),
                purges,
                redisNode.uri(),
                Optional.empty(),
                wall);
        ServingNearCache serving = new ServingNearCache(redisNode, vertx, redis, cache);
        cache.start(null);
        serving.awaitServing();
        return serving;
    }

    /** Admits {@code value} under {@code key}, as a read from Redis would. */
    public void put(String key, StoredValue value) {
        long sequence = cache.sequence(NAMESPACE, key);
        cache.offer(NAMESPACE, key, GENERATION, new StoredEntry(value, VALUE_TTL_MILLIS), sequence);
    }

    /** @return the entry of {@code key}, while the near cache holds it */
    public Optional<StoredEntry> get(String key) {
        return cache.get(NAMESPACE, key, GENERATION);
    }

    /** @return the entries held now (approximate) */
    public long size() {
        return cache.size();
    }

    @Override
    public void close() {
        cache.stop(null);
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        redisNode.kill();
    }

    private void awaitServing() {
        long deadline = System.nanoTime() + SUBSCRIBE_TIMEOUT.toNanos();
        while (!cache.isServing()) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the near cache did not subscribe to " + redisNode.uri() + " within "
                        + SUBSCRIBE_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while the near cache subscribed", e);
            }
        }
    }

    /** The gateway's configuration mapping, read from the few properties that have no default. */
    private static MeridianConfig config(int maxEntries) {
        Map<String, String> properties = Map.of(
                "meridian.region",
                "us-east",
                "meridian.regions.us-east.gateway-url",
                "http://127.0.0.1:8080",
                "meridian.namespaces." + NAMESPACE + ".type",
                "kv",
                "meridian.namespaces." + NAMESPACE + ".placement",
                "hash",
                "meridian.namespaces." + NAMESPACE + ".default-ttl",
                "1h",
                "meridian.namespaces." + NAMESPACE + ".max-ttl",
                "1d",
                "meridian.session.keys.k1",
                "a-signing-key-of-32-bytes-length",
                "meridian.session.signing-key",
                "k1",
                "meridian.near-cache.max-entries",
                Integer.toString(maxEntries),
                "meridian.near-cache.ttl",
                "1h");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "meridian-jmh", 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(MeridianConfig.class)
                .build();
        return config.getConfigMapping(MeridianConfig.class);
    }
}

package io.meridian.replicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventTopics;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.version.Version;
import io.meridian.infra.servers.SharedServers;
import io.meridian.infra.servers.SharedServersTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Redis;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replicator against a real Kafka and a real Redis: events produced to a region's topic are applied with
 * apply-if-newer, deletes leave tombstones that stop older writes, poison events are dead-lettered and consumption
 * goes on.
 */
@QuarkusTest
@QuarkusTestResource(SharedServersTestResource.class)
class ReplicatorIntegrationTest {

    /** A source region of its own, so this test's events never meet another test's. */
    private static final String SOURCE = "src" + UUID.randomUUID().toString().substring(0, 6);

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private static KafkaProducer<String, byte[]> producer;

    @Inject
    Redis redis;

    @Inject
    io.vertx.core.Vertx vertx;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedServers.kafka().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void writeEvent_isAppliedWithValueAndRemainingTtl() {
        String key = key();
        produce(write(key, 100, "first", 60_000));

        StoredEntry entry = awaitStored(key, 100);

        assertThat(new String(entry.value().body(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(entry.value().contentType()).isEqualTo("text/plain");
        assertThat(entry.remainingTtlMillis()).isBetween(1L, 60_000L);
    }

    @Test
    void olderWriteAfterNewer_changesNothing_andDuplicatesAreNoOps() {
        String key = key();
        produce(write(key, 200, "newer", 60_000));
        produce(write(key, 150, "older", 60_000));
        produce(write(key, 200, "newer", 60_000));
        String marker = key();
        produce(write(marker, 1, "marker", 60_000));
        awaitStored(marker, 1); // one partition key each, so wait for both keys' records through a fresh marker

        await().atMost(VISIBLE_WITHIN)
                .untilAsserted(() -> assertThat(read(key).value()).isNotNull());
        StoredEntry entry = read(key);
        assertThat(entry.value().version().hlc()).isEqualTo(200);
        assertThat(new String(entry.value().body(), StandardCharsets.UTF_8)).isEqualTo("newer");
    }

    @Test
    void deleteEvent_leavesTombstone_thatAnOlderWriteCannotReplace() {
        String key = key();
        produce(write(key, 300, "live", 60_000));
        produce(new CacheEvent.Delete("tweets", key, version(400)));
        produce(write(key, 350, "late older fill", 60_000));
        String next = key();
        produce(write(next, 1, "after", 60_000));
        awaitStored(next, 1);

        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> {
            StoredEntry entry = read(key);
            assertThat(entry.value()).isNotNull();
            assertThat(entry.value().tombstone()).isTrue();
            assertThat(entry.value().version().hlc()).isEqualTo(400);
        });
    }

    @Test
    void expiredWrite_leavesTombstone() {
        String key = key();
        produce(write(key, 500, "old", 60_000));
        produce(new CacheEvent.Write(
                "tweets",
                key,
                version(600),
                System.currentTimeMillis() - 1,
                "text/plain",
                "gone".getBytes(StandardCharsets.UTF_8)));

        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> {
            StoredEntry entry = read(key);
            assertThat(entry.value()).isNotNull();
            assertThat(entry.value().tombstone()).isTrue();
            assertThat(entry.value().version().hlc()).isEqualTo(600);
        });
    }

    @Test
    void appliedWrite_isAnnouncedToTheRegionsNearCaches() throws Exception {
        java.util.List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.vertx.redis.client.Redis client = io.vertx.redis.client.Redis.createClient(
                vertx, SharedServers.redis().uri());
        io.vertx.redis.client.RedisConnection connection =
                client.connect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try {
            connection.handler(push -> {
                if (push.size() >= 3 && "message".equals(push.get(0).toString())) {
                    announced.addAll(List.of(push.get(2).toString().split("\n")));
                }
            });
            connection
                    .send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SUBSCRIBE)
                            .arg(RedisKeys.NEAR_CACHE_CHANNEL))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            String key = key();

            produce(write(key, 800, "announced", 60_000));

            await().atMost(VISIBLE_WITHIN)
                    .untilAsserted(() -> assertThat(announced).contains("tweets/" + key));
        } finally {
            connection.close();
            client.close();
        }
    }

    @Test
    void poisonEvent_isDeadLetteredWithReason_andConsumptionGoesOn() {
        String poisonKey = "tweets/" + key();
        producer.send(new ProducerRecord<>(
                EventTopics.events(SOURCE), poisonKey, "not an event".getBytes(StandardCharsets.UTF_8)));
        String after = key();
        produce(write(after, 700, "after poison", 60_000));

        awaitStored(after, 700);
        ConsumerRecord<String, byte[]> dead = DeadLetters.await(poisonKey, VISIBLE_WITHIN);
        assertThat(DeadLetters.header(dead, "dead-letter-reason")).contains("magic");
        assertThat(DeadLetters.header(dead, "dead-letter-topic")).isEqualTo(EventTopics.events(SOURCE));
        assertThat(DeadLetters.header(dead, "dead-letter-offset")).isNotBlank();
        assertThat(DeadLetters.header(dead, "dead-letter-partition")).isNotBlank();
    }

    @Test
    void ownerPurge_isRecorded_andSweepsThatOwnersOlderKeysOnly() throws Exception {
        String ns = "sweep" + UUID.randomUUID().toString().substring(0, 6);
        String purged = "alice:" + UUID.randomUUID().toString().substring(0, 8);
        String rewritten = "alice:" + UUID.randomUUID().toString().substring(0, 8);
        String spared = "bob:" + UUID.randomUUID().toString().substring(0, 8);
        produce(write(ns, purged, 100, "old"));
        produce(write(ns, spared, 100, "bob's"));
        produce(write(ns, rewritten, 900, "written after the purge"));
        await().atMost(VISIBLE_WITHIN).until(() -> exists(RedisKeys.value(ns, rewritten)));

        produce(new CacheEvent.Purge(ns, "alice", version(500)));

        await().atMost(VISIBLE_WITHIN).until(() -> !exists(RedisKeys.value(ns, purged)));
        assertThat(exists(RedisKeys.value(ns, spared))).isTrue();
        assertThat(exists(RedisKeys.value(ns, rewritten))).isTrue();
        io.vertx.redis.client.Response recorded = redis.send(
                        io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HGET)
                                .arg(RedisKeys.PURGES)
                                .arg(RedisKeys.purgeField(ns, "alice")))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(Version.fromBytes(recorded.toBytes(), 0)).isEqualTo(version(500));
    }

    private boolean exists(String redisKey) throws Exception {
        return redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EXISTS)
                                .arg(redisKey))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .toInteger()
                == 1;
    }

    private static CacheEvent.Write write(String ns, String key, long hlc, String value) {
        return new CacheEvent.Write(
                ns,
                key,
                version(hlc),
                System.currentTimeMillis() + 60_000,
                "text/plain",
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static String key() {
        return "tweet:" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static Version version(long hlc) {
        return new Version(hlc, 7);
    }

    private static CacheEvent.Write write(String key, long hlc, String value, long ttlMillis) {
        return new CacheEvent.Write(
                "tweets",
                key,
                version(hlc),
                System.currentTimeMillis() + ttlMillis,
                "text/plain",
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static void produce(CacheEvent event) {
        try {
            producer.send(new ProducerRecord<>(EventTopics.events(SOURCE), event.recordKey(), EventCodec.encode(event)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce " + event, e);
        }
    }

    private StoredEntry awaitStored(String key, long hlc) {
        await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            StoredEntry entry = read(key);
            assertThat(entry.value()).isNotNull();
            assertThat(entry.value().version().hlc()).isEqualTo(hlc);
        });
        return read(key);
    }

    private StoredEntry read(String key) {
        try {
            return new CoherenceScripts(new ScriptRunner(redis))
                    .getWithTtl(RedisKeys.value("tweets", key))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + key, e);
        }
    }
}

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
import io.meridian.infra.servers.RedisNode;
import io.meridian.infra.servers.SharedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A region's cache Redis loses all its data ({@code FLUSHALL}, as a restart without persistence does): the replicator
 * notices the missing cache id, marks the region recovering, puts the control state back from the control topic and
 * replays the retained logs, so values, tombstones and purge records are back, and a late older event cannot
 * resurrect a deleted key.
 */
@QuarkusTest
@TestProfile(CacheLossIntegrationTest.OwnRedis.class)
class CacheLossIntegrationTest {

    private static final String SOURCE = "loss" + UUID.randomUUID().toString().substring(0, 6);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    static RedisNode ownRedis;

    @Inject
    Redis redis;

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnRedisResource.class));
        }
    }

    public static class OwnRedisResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            ownRedis = RedisNode.start();
            return Map.of(
                    "quarkus.redis.hosts", ownRedis.uri(),
                    "kafka.bootstrap.servers", SharedServers.kafka().bootstrapServers(),
                    "meridian.recovery.check-every", "200ms");
        }

        @Override
        public void stop() {
            if (ownRedis != null) {
                ownRedis.stop();
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer;

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void afterTheCacheLosesItsData_valuesTombstonesPurgesAndHandoversComeBack_andNothingDeletedResurrects()
            throws Exception {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedServers.kafka().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        createControlTopic();
        await().atMost(WITHIN).until(() -> call(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID)) != null);
        String live = "tweet:" + UUID.randomUUID().toString().substring(0, 12);
        String deleted = "tweet:" + UUID.randomUUID().toString().substring(0, 12);
        String ns = "purged" + UUID.randomUUID().toString().substring(0, 6);
        produce(write("tweets", live, 100, "kept"));
        produce(write("tweets", deleted, 100, "deleted soon"));
        produce(new CacheEvent.Delete("tweets", deleted, version(200)));
        produce(new CacheEvent.Purge(ns, "", version(500)));
        // An assignment with its epoch and fence (a failover of eu-west while it did not answer).
        String moved = new io.meridian.coherence.event.HomeAssignment("moved", 3, java.util.Map.of(0, 42L)).encode();
        producer.send(new ProducerRecord<>(
                        EventTopics.control("us-east"), 0, "handover/eu-west", moved.getBytes(StandardCharsets.UTF_8)))
                .get(10, TimeUnit.SECONDS);
        await().atMost(WITHIN).until(() -> isTombstone(read(deleted), 200));
        String cacheId = call(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID)).toString();

        call(Request.cmd(Command.FLUSHALL));
        assertThat(read(live).value()).isNull();

        await().atMost(WITHIN).until(() -> {
            Response id = call(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID));
            return id != null && !id.toString().equals(cacheId);
        });
        assertThat(call(Request.cmd(Command.EXISTS).arg(RedisKeys.RECOVERING)).toInteger())
                .isZero();
        StoredEntry kept = read(live);
        assertThat(kept.value()).isNotNull();
        assertThat(new String(kept.value().body(), StandardCharsets.UTF_8)).isEqualTo("kept");
        assertThat(isTombstone(read(deleted), 200)).isTrue();
        Response purge = call(Request.cmd(Command.HGET).arg(RedisKeys.PURGES).arg(RedisKeys.purgeField(ns, "")));
        assertThat(Version.fromBytes(purge.toBytes(), 0)).isEqualTo(version(500));
        assertThat(call(Request.cmd(Command.HGET).arg("meridian:handover").arg("eu-west"))
                        .toString())
                .isEqualTo(moved);

        // A late, older write of the deleted key (delayed by a cut, say) cannot bring it back.
        produce(write("tweets", deleted, 150, "resurrected?"));
        String marker = "tweet:" + UUID.randomUUID().toString().substring(0, 12);
        produce(write("tweets", marker, 1, "after"));
        await().atMost(WITHIN).until(() -> read(marker).value() != null);
        assertThat(isTombstone(read(deleted), 200)).isTrue();
    }

    private static void createControlTopic() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(EventTopics.control("us-east"), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static boolean isTombstone(StoredEntry entry, long hlc) {
        return entry.value() != null
                && entry.value().tombstone()
                && entry.value().version().hlc() == hlc;
    }

    private Response call(Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private StoredEntry read(String key) throws Exception {
        return new CoherenceScripts(new ScriptRunner(redis))
                .getWithTtl(RedisKeys.value("tweets", key))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
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

    private static Version version(long hlc) {
        return new Version(hlc, 7);
    }

    private static void produce(CacheEvent event) throws Exception {
        producer.send(new ProducerRecord<>(EventTopics.events(SOURCE), event.recordKey(), EventCodec.encode(event)))
                .get(10, TimeUnit.SECONDS);
    }
}

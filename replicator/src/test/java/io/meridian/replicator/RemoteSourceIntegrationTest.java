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
import io.meridian.infra.servers.KafkaBroker;
import io.meridian.infra.servers.SharedServersTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A source region whose event topic lives in a Kafka cluster of its own ({@code meridian.sources.<r>.bootstrap-servers},
 * one Kafka per region): its events are applied to this region's Redis, its watermark is published from that
 * cluster's partitions, and its poison records are dead-lettered on this region's own cluster.
 */
@QuarkusTest
@TestProfile(RemoteSourceIntegrationTest.OwnSourceCluster.class)
class RemoteSourceIntegrationTest {

    /** A source region of its own, so this test's events never meet another test's. */
    static final String SOURCE = "far" + UUID.randomUUID().toString().substring(0, 6);

    private static final int PARTITIONS = 2;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    static KafkaBroker sourceKafka;

    @Inject
    Redis redis;

    public static class OwnSourceCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(SharedServersTestResource.class),
                    new TestResourceEntry(SourceClusterResource.class));
        }
    }

    public static class SourceClusterResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                sourceKafka = KafkaBroker.start(Files.createTempDirectory("meridian-source-kafka-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Quarkus does not call stop() when the application fails to boot; never leave the broker behind.
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "source-kafka-stop"));
            createTopic();
            return Map.of("meridian.sources." + SOURCE + ".bootstrap-servers", sourceKafka.bootstrapServers());
        }

        @Override
        public synchronized void stop() {
            if (sourceKafka != null && sourceKafka.isRunning()) {
                sourceKafka.kill();
            }
        }

        private static void createTopic() {
            try (AdminClient admin = AdminClient.create(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sourceKafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(EventTopics.events(SOURCE), PARTITIONS, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the source topic", e);
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
    void eventsOfTheSourceCluster_areApplied() {
        String key = "tweet:" + UUID.randomUUID().toString().substring(0, 12);
        send(EventTopics.events(SOURCE), key, EventCodec.encode(write(key, 100, "from afar")));

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            StoredEntry entry = read(key);
            assertThat(entry.value()).isNotNull();
            assertThat(entry.value().version().hlc()).isEqualTo(100);
            assertThat(new String(entry.value().body(), StandardCharsets.UTF_8)).isEqualTo("from afar");
        });
    }

    @Test
    void heartbeatsOnEveryPartitionOfTheSourceCluster_publishTheWatermark() {
        long hlc = System.currentTimeMillis() << 16;
        byte[] heartbeat = EventCodec.encode(new CacheEvent.Heartbeat(9, hlc));
        for (int partition = 0; partition < PARTITIONS; partition++) {
            send(new ProducerRecord<>(EventTopics.events(SOURCE), partition, "heartbeat", heartbeat));
        }

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response watermark = redis.send(Request.cmd(Command.GET).arg(RedisKeys.watermark(SOURCE)))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(watermark).isNotNull();
            assertThat(watermark.toLong()).isGreaterThanOrEqualTo(hlc);
        });
    }

    @Test
    void poisonOfTheSourceCluster_isDeadLetteredOnThisRegionsCluster_andConsumptionGoesOn() {
        String poisonKey = "tweets/poison-" + UUID.randomUUID();
        send(EventTopics.events(SOURCE), poisonKey, "not an event".getBytes(StandardCharsets.UTF_8));
        String after = "tweet:" + UUID.randomUUID().toString().substring(0, 12);
        send(EventTopics.events(SOURCE), after, EventCodec.encode(write(after, 200, "after poison")));

        await().atMost(WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(read(after).value()).isNotNull());
        ConsumerRecord<String, byte[]> dead = DeadLetters.await(poisonKey, WITHIN);
        assertThat(DeadLetters.header(dead, "dead-letter-reason")).contains("magic");
        assertThat(DeadLetters.header(dead, "dead-letter-topic")).isEqualTo(EventTopics.events(SOURCE));
        assertThat(DeadLetters.header(dead, "dead-letter-partition")).isNotBlank();
        assertThat(DeadLetters.header(dead, "dead-letter-offset")).isNotBlank();
    }

    private static CacheEvent.Write write(String key, long hlc, String value) {
        return new CacheEvent.Write(
                "tweets",
                key,
                new Version(hlc, 9),
                System.currentTimeMillis() + 60_000,
                "text/plain",
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(String topic, String key, byte[] value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    private static synchronized void send(ProducerRecord<String, byte[]> record) {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            sourceKafka.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new ByteArraySerializer());
        }
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + record.topic(), e);
        }
    }

    private StoredEntry read(String key) throws Exception {
        return new CoherenceScripts(new ScriptRunner(redis))
                .getWithTtl(RedisKeys.value("tweets", key))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}

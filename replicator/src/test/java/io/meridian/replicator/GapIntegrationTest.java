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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A source's topic deleted and recreated (its unapplied events lost with it): the replicator bumps the source's
 * generation, so every copy it made from the old log reads as a miss, and goes on applying the new log.
 *
 * <p>Whether the broker still holds the group's committed offsets of the deleted topic when the recreated one is
 * assigned is a race; the recreated topic is recognised by its new Kafka topic id either way.
 */
@QuarkusTest
@QuarkusTestResource(SharedServersTestResource.class)
class GapIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Inject
    Redis redis;

    @Test
    void recreatedTopic_bumpsGeneration_andOldCopiesReadAsMisses() throws Exception {
        String source = "gap" + UUID.randomUUID().toString().substring(0, 6);
        String topic = EventTopics.events(source);
        String before = "tweet:" + UUID.randomUUID();
        String after = "tweet:" + UUID.randomUUID();
        try (AdminClient admin = AdminClient.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedServers.kafka().bootstrapServers()));
                KafkaProducer<String, byte[]> producer = producer()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            send(producer, topic, write(before, 100));
            await().atMost(WITHIN)
                    .until(() -> read(RedisKeys.value("tweets", before)).isLive());
            // the replicator records applied offsets every second; let it record this one
            await().atMost(WITHIN).until(() -> get(RedisKeys.appliedOffset(source, 0)) != null);

            admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            await().atMost(WITHIN).until(() -> !admin.listTopics().names().get().contains(topic));
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            send(producer, topic, write(after, 200));

            await().atMost(WITHIN)
                    .untilAsserted(
                            () -> assertThat(get(RedisKeys.generation(source))).isEqualTo("1"));
            await().atMost(WITHIN)
                    .until(() -> read(RedisKeys.value("tweets", after, 1)).isLive());
            assertThat(read(RedisKeys.value("tweets", before, 1)).value())
                    .as("a copy made from the old log is not visible in the new generation")
                    .isNull();
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedServers.kafka().bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static CacheEvent.Write write(String key, long hlc) {
        return new CacheEvent.Write(
                "tweets",
                key,
                new Version(hlc, 3),
                System.currentTimeMillis() + 60_000,
                "text/plain",
                "v".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, CacheEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.recordKey(), EventCodec.encode(event)))
                .get(10, TimeUnit.SECONDS);
    }

    private StoredEntry read(String redisKey) throws Exception {
        return new CoherenceScripts(new ScriptRunner(redis))
                .getWithTtl(redisKey)
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private String get(String redisKey) throws Exception {
        Response reply = redis.send(Request.cmd(Command.GET).arg(redisKey))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        return reply == null ? null : reply.toString();
    }
}

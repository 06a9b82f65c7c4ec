package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.meridian.infra.servers.SharedServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Row changes in Debezium's JSON envelope, produced to a real Kafka topic, invalidate the cached keys they map to;
 * a malformed change is skipped and the ones after it still apply.
 */
@GatewayTest
@QuarkusTestResource(ChangesIntegrationTest.ChangeTopic.class)
class ChangesIntegrationTest {

    static final String TOPIC =
            "dbserver1.public.users-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PROFILES = "/v1/namespaces/profiles/keys/";

    private static KafkaProducer<String, String> producer;

    /** The namespace {@code profiles}, invalidated from {@link #TOPIC} with the template {@code user:{id}}. */
    public static class ChangeTopic implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of(
                    "meridian.namespaces.profiles.changes.topic", TOPIC,
                    "meridian.namespaces.profiles.changes.key-template", "user:{id}",
                    "meridian.namespaces.profiles.changes.table", "users");
        }

        @Override
        public void stop() {}
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void updateOfARow_invalidatesItsKey() {
        long id = uniqueId();
        String key = "user:" + id;
        given().body("cached profile").put(PROFILES + key).then().statusCode(200);

        // The consumer starts at the latest offset once it has joined: send the change until it has been seen.
        awaitGone(key, List.of(change("u", "null", "{\"id\":" + id + ",\"name\":\"renamed\"}")));
    }

    @Test
    void malformedChange_isSkipped_andTheNextStillApplies() {
        long id = uniqueId();
        String key = "user:" + id;
        given().body("cached").put(PROFILES + key).then().statusCode(200);

        awaitGone(key, List.of("not a change event", change("d", "{\"id\":" + id + "}", "null")));
    }

    private static void awaitGone(String key, List<String> changes) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    changes.forEach(ChangesIntegrationTest::produce);
                    return given().get(PROFILES + key).statusCode() == 404;
                });
    }

    private static String change(String op, String before, String after) {
        return "{\"schema\":null,\"payload\":{\"before\":" + before + ",\"after\":" + after + ",\"op\":\"" + op
                + "\",\"source\":{\"table\":\"users\",\"db\":\"inventory\"},\"ts_ms\":"
                + System.currentTimeMillis() + "}}";
    }

    private static long uniqueId() {
        return 1_000_000 + (UUID.randomUUID().getLeastSignificantBits() & 0xFFFFFFFL);
    }

    private static synchronized void produce(String value) {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            SharedServers.kafka().bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(TOPIC, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + TOPIC, e);
        }
    }
}

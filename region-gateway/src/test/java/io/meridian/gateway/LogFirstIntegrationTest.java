package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.version.Version;
import io.meridian.infra.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Every acknowledged write and delete is in the region's event log, keyed by namespace and key. */
@GatewayTest
class LogFirstIntegrationTest {

    private static final String TOPIC = "meridian.us-east.events";

    @Test
    void put_appendsWriteEventCarryingValueVersionAndExpiry() {
        String key = UniqueKeys.key("log");
        String version = given().contentType("text/plain; charset=UTF-8")
                .body("logged")
                .put("/v1/namespaces/tweets/keys/" + key + "?ttl=120s")
                .then()
                .statusCode(200)
                .extract()
                .path("version");

        List<CacheEvent> events = eventsFor("tweets/" + key, 1);

        assertThat(events).hasSize(1);
        CacheEvent.Write write = (CacheEvent.Write) events.get(0);
        assertThat(write.version()).isEqualTo(Version.fromHex(version));
        assertThat(new String(write.value(), StandardCharsets.UTF_8)).isEqualTo("logged");
        assertThat(write.contentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(Instant.ofEpochMilli(write.expiresAtMillis()))
                .isBetween(Instant.now().plusSeconds(100), Instant.now().plusSeconds(121));
    }

    @Test
    void delete_appendsDeleteEventWithItsVersion() {
        String key = UniqueKeys.key("log-del");
        given().body("x").put("/v1/namespaces/tweets/keys/" + key).then().statusCode(200);
        String version = given().delete("/v1/namespaces/tweets/keys/" + key)
                .then()
                .statusCode(200)
                .extract()
                .path("version");

        List<CacheEvent> events = eventsFor("tweets/" + key, 2);

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isEqualTo(new CacheEvent.Delete("tweets", key, Version.fromHex(version)));
    }

    @Test
    void rejectedInput_appendsNothing() {
        String key = UniqueKeys.key("log-none");
        given().body("x")
                .put("/v1/namespaces/tweets/keys/" + key + "?ttl=bad")
                .then()
                .statusCode(400);
        given().body("x")
                .put("/v1/namespaces/tweets/keys/" + key + "?ttl=1s")
                .then()
                .statusCode(200);

        // Only the valid write is in the log.
        assertThat(eventsFor("tweets/" + key, 2)).hasSize(1);
    }

    /** Reads the topic from the start until {@code expected} events of the record key are seen or 10 s pass. */
    static List<CacheEvent> eventsFor(String recordKey, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<CacheEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(recordKey)) {
                        events.add(EventCodec.decode(record.value()));
                    }
                }
            }
        }
        return events;
    }
}

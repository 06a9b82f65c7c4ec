package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.version.Version;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kafka stopped under a running gateway: a namespace with {@code kafka-outage-policy=buffer} keeps taking writes (kept
 * in the region's event buffer, readable at once), a {@code reject} namespace answers 503, a full buffer answers 503;
 * when Kafka returns the buffer is relayed to the topic in version order, behind a heartbeat that holds the
 * watermark, and emptied. The methods run in order against the gateway's own Redis and Kafka.
 */
@QuarkusTest
@TestProfile(EventBufferIntegrationTest.BufferProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventBufferIntegrationTest {

    private static final String BUFFERED = "/v1/namespaces/buffered/keys/";
    private static final String REJECTING = "/v1/namespaces/tweets/keys/";
    private static final int MAX_LENGTH = 6;

    /** Versions acknowledged as buffered, by record key, in the order they were acknowledged. */
    private static final Map<String, List<Version>> buffered = new HashMap<>();

    private static String deletedKey;

    public static class BufferProfile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnServersResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "meridian.namespaces.buffered.kafka-outage-policy", "buffer",
                    "meridian.event-log.buffer.max-length", Integer.toString(MAX_LENGTH),
                    "meridian.event-log.buffer.relay-batch", "4",
                    "meridian.event-log.produce-timeout", "500ms");
        }
    }

    @AfterAll
    static void bringBack() {
        OwnServersResource.bringBack();
    }

    @Test
    @Order(1)
    void kafkaDown_bufferNamespaceAcknowledgesAndReadsLocally_rejectNamespaceAnswers503() {
        deletedKey = UniqueKeys.key("buf-del");
        given().body("before")
                .put(BUFFERED + deletedKey)
                .then()
                .statusCode(200)
                .header("Meridian-Buffered", nullValue())
                .body("buffered", nullValue());

        OwnServersResource.kafka.stop();

        String key = UniqueKeys.key("buf");
        bufferedWrite(key, "one");
        given().get(BUFFERED + key).then().statusCode(200).body(equalTo("one"));
        bufferedWrite(key, "two");
        given().get(BUFFERED + key).then().statusCode(200).body(equalTo("two"));
        String version = given().delete(BUFFERED + deletedKey)
                .then()
                .statusCode(200)
                .header("Meridian-Buffered", "true")
                .extract()
                .path("version");
        remember(deletedKey, version);
        given().get(BUFFERED + deletedKey).then().statusCode(404);

        given().body("refused")
                .put(REJECTING + UniqueKeys.key("rej"))
                .then()
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://meridian.dev/problems/event-log-unavailable"));

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/v1/status")
                        .then()
                        .body("eventBuffer.length", equalTo(3))
                        .body("eventBuffer.draining", equalTo(true)));
    }

    @Test
    @Order(2)
    void fullBuffer_answers503WithRetryAfter_andKeepsWhatItHolds() {
        for (int i = 3; i < MAX_LENGTH; i++) {
            bufferedWrite(UniqueKeys.key("buf-fill"), "fill");
        }
        String refused = UniqueKeys.key("buf-full");
        given().body("over")
                .put(BUFFERED + refused)
                .then()
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://meridian.dev/problems/event-buffer-full"));
        given().get(BUFFERED + refused).then().statusCode(404);
        assertThat(given().get("/q/metrics").asString()).contains("meridian_event_buffer_full_total 1.0");
    }

    @Test
    @Order(3)
    void kafkaBack_bufferRelayedInVersionOrder_thenEmptied_andWritesGoToKafkaAgain() {
        OwnServersResource.kafka.restart();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/v1/status")
                        .then()
                        .body("eventBuffer.length", equalTo(0))
                        .body("eventBuffer.draining", equalTo(false)));

        Map<Integer, List<ConsumerRecord<String, byte[]>>> log = readTopic(buffered.keySet());
        Set<Version> relayed = new HashSet<>();
        for (List<ConsumerRecord<String, byte[]>> partition : log.values()) {
            // A round the relay could not confirm is sent again, behind a new relay heartbeat: each round in order.
            List<Version> round = null;
            for (ConsumerRecord<String, byte[]> record : partition) {
                CacheEvent event = EventCodec.decode(record.value());
                if (event instanceof CacheEvent.Heartbeat heartbeat && (heartbeat.origin() & 0xFF) == 255) {
                    round = new ArrayList<>();
                } else if (buffered.containsKey(record.key()) && isBuffered(record.key(), versionOf(event))) {
                    assertThat(round)
                            .as("a relay heartbeat precedes the buffered events")
                            .isNotNull();
                    round.add(versionOf(event));
                    assertThat(round).as("versions in partition order").isSorted();
                    relayed.add(versionOf(event));
                }
            }
        }
        List<Version> expected =
                buffered.values().stream().flatMap(List::stream).toList();
        assertThat(relayed).containsExactlyInAnyOrderElementsOf(expected);

        given().body("direct")
                .put(REJECTING + UniqueKeys.key("rej-after"))
                .then()
                .statusCode(200);
        given().body("direct")
                .put(BUFFERED + UniqueKeys.key("buf-after"))
                .then()
                .statusCode(200)
                .header("Meridian-Buffered", nullValue());
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("meridian_event_buffer_relayed_total " + MAX_LENGTH + ".0");
        assertThat(metrics).contains("meridian_event_buffer_appended_total " + MAX_LENGTH + ".0");
    }

    private static void bufferedWrite(String key, String value) {
        String version = given().body(value)
                .put(BUFFERED + key)
                .then()
                .statusCode(200)
                .header("Meridian-Buffered", "true")
                .body("buffered", equalTo(true))
                .extract()
                .path("version");
        remember(key, version);
    }

    private static void remember(String key, String version) {
        buffered.computeIfAbsent("buffered/" + key, k -> new ArrayList<>()).add(Version.fromHex(version));
    }

    private static boolean isBuffered(String recordKey, Version version) {
        return buffered.get(recordKey).contains(version);
    }

    private static Version versionOf(CacheEvent event) {
        if (event instanceof CacheEvent.Write write) {
            return write.version();
        }
        if (event instanceof CacheEvent.Delete delete) {
            return delete.version();
        }
        throw new AssertionError("unexpected event " + event);
    }

    /** Reads the region's topic from the start until every buffered version was seen, or 20 s passed. */
    private static Map<Integer, List<ConsumerRecord<String, byte[]>>> readTopic(Set<String> recordKeys) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                OwnServersResource.kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        int expected = buffered.values().stream().mapToInt(List::size).sum();
        Map<Integer, List<ConsumerRecord<String, byte[]>>> partitions = new HashMap<>();
        Set<Version> seen = new LinkedHashSet<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("meridian.us-east.events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    partitions
                            .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(record);
                    if (recordKeys.contains(record.key())) {
                        Version version = versionOf(EventCodec.decode(record.value()));
                        if (isBuffered(record.key(), version)) {
                            seen.add(version);
                        }
                    }
                }
            }
        }
        return partitions;
    }
}

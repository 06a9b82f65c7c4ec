package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Takes Redis and Kafka away under a running gateway: requests answer 503 with Retry-After within the request
 * timeout, nothing is half-written, and the gateway recovers by itself when they return. Runs against its own servers
 * so that the shared ones stay up for every other test.
 */
@QuarkusTest
@TestProfile(OutageIntegrationTest.OwnServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";
    /** The test profile's request timeout plus slack for the answer itself. */
    private static final long ANSWER_WITHIN_MS = 3_000 + 1_500;

    public static class OwnServers implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(OwnServersResource.class));
        }
    }

    @AfterAll
    static void bringBack() {
        OwnServersResource.bringBack();
    }

    @Test
    @Order(1)
    void redisDown_answers503WithRetryAfter_thenRecovers() {
        String key = UniqueKeys.key("redis-out");
        given().body("before").put(KEYS + key).then().statusCode(200);

        OwnServersResource.redis.stop();
        long started = System.currentTimeMillis();
        given().get(KEYS + key)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        given().body("during").put(KEYS + key).then().statusCode(503).header("Retry-After", notNullValue());
        assertThat(System.currentTimeMillis() - started).isLessThan(2 * ANSWER_WITHIN_MS);
        given().get("/q/health/ready").then().statusCode(503);

        OwnServersResource.redis.restart();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> given().body("after").put(KEYS + key).then().statusCode(200));
        given().get(KEYS + key).then().statusCode(200).body(equalTo("after"));
    }

    @Test
    @Order(2)
    void kafkaDown_writesAnswer503AndStoreNothing_thenRecover() {
        String key = UniqueKeys.key("kafka-out");
        given().body("before").put(KEYS + key).then().statusCode(200);

        OwnServersResource.kafka.stop();
        long started = System.currentTimeMillis();
        given().body("during").put(KEYS + key).then().statusCode(503).header("Retry-After", notNullValue());
        given().delete(KEYS + key).then().statusCode(503).header("Retry-After", notNullValue());
        assertThat(System.currentTimeMillis() - started).isLessThan(2 * ANSWER_WITHIN_MS);
        // Nothing half-written: the value from before the outage is still there, reads go on.
        given().get(KEYS + key).then().statusCode(200).body(equalTo("before"));

        OwnServersResource.kafka.restart();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> given().body("after").put(KEYS + key).then().statusCode(200));
        given().get(KEYS + key).then().statusCode(200).body(equalTo("after"));
    }
}

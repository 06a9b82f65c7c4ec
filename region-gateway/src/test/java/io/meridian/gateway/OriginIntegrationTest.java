package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.response.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read-through from a real HTTP origin ({@link TestOrigin}): a miss loads the value once however many readers ask,
 * a lease left by a dead gateway expires and the next reader loads, a deleted key loads again, and a failing origin
 * is answered with a stale value within stale-if-error and 503 + Retry-After beyond it.
 */
@GatewayTest
@QuarkusTestResource(TestOrigin.class)
class OriginIntegrationTest {

    private static final String CATALOG = "/v1/namespaces/catalog/keys/";
    private static final String STALE = "/v1/namespaces/catalog-stale/keys/";

    @Inject
    Redis redis;

    @Inject
    ManualClock clock;

    @AfterEach
    void noDelay() {
        TestOrigin.delayMillis = 0;
    }

    @Test
    void miss_loadsFromTheOrigin_thenServesTheStoredCopy() {
        String key = UniqueKeys.key("item");
        TestOrigin.VALUES.put(key, "from the origin");

        given().get(CATALOG + key)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "origin")
                .header("Meridian-Home", "us-east")
                .body(equalTo("from the origin"));
        given().get(CATALOG + key).then().statusCode(200).header("Meridian-Source", "local");

        assertThat(TestOrigin.calls(key)).isEqualTo(1);
    }

    @Test
    void concurrentMisses_makeOneOriginCall() throws Exception {
        String key = UniqueKeys.key("stampede");
        TestOrigin.VALUES.put(key, "hot");
        TestOrigin.delayMillis = 300;
        ExecutorService readers = Executors.newFixedThreadPool(50);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(readers.submit(() -> given().get(CATALOG + key)));
            }
            for (Future<Response> answer : answers) {
                Response response = answer.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body().asString()).isEqualTo("hot");
            }
        } finally {
            readers.shutdownNow();
        }

        assertThat(TestOrigin.calls(key)).isEqualTo(1);
    }

    @Test
    void leaseOfADeadGateway_expires_andTheNextReaderLoads() throws Exception {
        String key = UniqueKeys.key("orphan");
        TestOrigin.VALUES.put(key, "after the lease");
        leaseOfADeadGateway("catalog", key);
        long started = System.nanoTime();

        given().get(CATALOG + key).then().statusCode(200).body(equalTo("after the lease"));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(600);
        assertThat(TestOrigin.calls(key)).isEqualTo(1);
    }

    @Test
    void deletedKey_isLoadedAgain_withTheOriginsNewValue() {
        String key = UniqueKeys.key("changed");
        TestOrigin.VALUES.put(key, "v1");
        given().get(CATALOG + key).then().statusCode(200).body(equalTo("v1"));
        TestOrigin.VALUES.put(key, "v2");

        given().delete(CATALOG + key).then().statusCode(200);

        given().get(CATALOG + key)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "origin")
                .body(equalTo("v2"));
        assertThat(TestOrigin.calls(key)).isEqualTo(2);
    }

    @Test
    void keyTheOriginDoesNotHave_is404() {
        String key = UniqueKeys.key("unknown");

        given().get(CATALOG + key).then().statusCode(404);
        assertThat(TestOrigin.calls(key)).isEqualTo(1);
    }

    @Test
    void failingOrigin_answersStaleWithinStaleIfError_and503WithoutIt() throws Exception {
        String key = UniqueKeys.key("stale");
        TestOrigin.VALUES.put(key, "old but usable");
        given().get(STALE + key).then().statusCode(200);
        given().get("/v1/namespaces/catalog-strict/keys/" + key).then().statusCode(200);
        TestOrigin.FAILING.add(key);
        clock.advance(Duration.ofMillis(1_200)); // both copies expire (default TTL 1 s)

        given().get(STALE + key)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "stale")
                .body(equalTo("old but usable"));
        given().get("/v1/namespaces/catalog-strict/keys/" + key)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", org.hamcrest.Matchers.endsWith("origin-unavailable"));
    }

    @Test
    void expiredValue_isAnsweredStaleWhileOneReloadRuns() throws Exception {
        String key = UniqueKeys.key("swr");
        String path = "/v1/namespaces/catalog-swr/keys/" + key;
        TestOrigin.VALUES.put(key, "v1");
        given().get(path).then().statusCode(200).body(equalTo("v1"));
        TestOrigin.VALUES.put(key, "v2");
        clock.advance(Duration.ofMillis(1_200)); // expired (TTL 1 s)

        given().get(path)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "stale")
                .body(equalTo("v1"));

        await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> given().get(path).then().statusCode(200).body(equalTo("v2")));
        assertThat(TestOrigin.calls(key)).isEqualTo(2);
    }

    @Test
    void liveValue_isRefreshedEarly_beforeItExpires() {
        String key = UniqueKeys.key("early");
        String path = "/v1/namespaces/catalog-early/keys/" + key;
        TestOrigin.VALUES.put(key, "v1");
        given().get(path).then().statusCode(200).body(equalTo("v1"));
        TestOrigin.VALUES.put(key, "v2");

        // The value lives an hour: only an early refresh can bring v2 now.
        await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> given().get(path).then().statusCode(200).body(equalTo("v2")));
    }

    @Test
    void mgetOfMissingKeys_loadsThemInOneBatchCall_thenServesTheStoredCopies() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(UniqueKeys.key("batch"));
        }
        keys.subList(0, 4).forEach(key -> TestOrigin.VALUES.put(key, "value of " + key));

        for (int round = 0; round < 2; round++) {
            mget("catalog-batch", keys)
                    .then()
                    .statusCode(200)
                    .body("values." + quoted(keys.get(0)) + ".value", equalTo("value of " + keys.get(0)))
                    .body("values." + quoted(keys.get(3)) + ".value", equalTo("value of " + keys.get(3)))
                    .body("values.size()", equalTo(4))
                    .body("missing", equalTo(List.of(keys.get(4))));
        }

        // One call for all five keys; the second MGET found four copies and asked again only for the absent key.
        assertThat(batchesWith(keys.get(0)))
                .singleElement()
                .satisfies(batch -> assertThat(batch).containsExactlyInAnyOrderElementsOf(keys));
        assertThat(keys.subList(0, 4))
                .allSatisfy(key -> assertThat(TestOrigin.calls(key)).isZero());
        assertThat(TestOrigin.calls(keys.get(4))).isEqualTo(1);
        given().get("/v1/namespaces/catalog-batch/keys/" + keys.get(1))
                .then()
                .statusCode(200)
                .header("Meridian-Source", org.hamcrest.Matchers.oneOf("local", "l1"));
    }

    @Test
    void mget_keyWhoseLeaseAnotherGatewayHolds_isLeftOutOfTheBatch_andLoadedWhenTheLeaseEnds() throws Exception {
        String leased = UniqueKeys.key("batch-leased");
        String free1 = UniqueKeys.key("batch-free");
        String free2 = UniqueKeys.key("batch-free");
        List.of(leased, free1, free2).forEach(key -> TestOrigin.VALUES.put(key, "v-" + key));
        leaseOfADeadGateway("catalog-batch", leased);

        mget("catalog-batch", List.of(leased, free1, free2))
                .then()
                .statusCode(200)
                .body("values.size()", equalTo(3))
                .body("values." + quoted(leased) + ".value", equalTo("v-" + leased));

        assertThat(batchesWith(free1))
                .singleElement()
                .satisfies(batch -> assertThat(batch).containsExactlyInAnyOrder(free1, free2));
        // Its lease expired with no fill: the waiting reader took it and loaded the key alone.
        assertThat(TestOrigin.calls(leased)).isEqualTo(1);
    }

    @Test
    void mget_whoseBatchCallFails_is503_withoutStaleIfError() {
        String failing = UniqueKeys.key("batch-failing");
        String fine = UniqueKeys.key("batch-fine");
        TestOrigin.VALUES.put(failing, "x");
        TestOrigin.VALUES.put(fine, "y");
        TestOrigin.FAILING.add(failing);

        mget("catalog-batch", List.of(failing, fine))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", org.hamcrest.Matchers.endsWith("origin-unavailable"));
        given().get("/v1/namespaces/catalog-batch/keys/" + fine).then().statusCode(200);
    }

    @Test
    void writeThrough_reachesTheOriginFirst_andCachesOnlyWhatItAccepted() {
        String key = UniqueKeys.key("wt");
        String path = "/v1/namespaces/catalog-wt/keys/" + key;

        given().body("accepted").put(path).then().statusCode(200);
        assertThat(TestOrigin.VALUES.get(key)).isEqualTo("accepted");
        given().get(path).then().statusCode(200).body(equalTo("accepted"));

        given().body(TestOrigin.REFUSED_BODY)
                .put(path)
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("origin-rejected"));
        TestOrigin.WRITES_FAILING.add(key);
        given().body("while the origin is down")
                .put(path)
                .then()
                .statusCode(503)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", org.hamcrest.Matchers.endsWith("origin-unavailable"));
        given().delete(path).then().statusCode(503);

        // Nothing the origin did not accept was cached or logged.
        given().get(path).then().statusCode(200).body(equalTo("accepted"));
        assertThat(TestOrigin.VALUES.get(key)).isEqualTo("accepted");
        TestOrigin.WRITES_FAILING.remove(key);
        given().delete(path).then().statusCode(200);
        assertThat(TestOrigin.VALUES).doesNotContainKey(key);
    }

    @Test
    void critical_answersAnExpiredValueStale_withoutCallingTheOrigin() throws Exception {
        String key = UniqueKeys.key("critical");
        TestOrigin.VALUES.put(key, "v1");
        given().get(STALE + key).then().statusCode(200).body(equalTo("v1"));
        TestOrigin.VALUES.put(key, "v2");
        clock.advance(Duration.ofMillis(1_200)); // expired (TTL 1 s)
        given().contentType("application/json").body("{\"level\":\"CRITICAL\"}").put("/v1/admin/degradation");
        try {
            given().get(STALE + key)
                    .then()
                    .statusCode(200)
                    .header("Meridian-Source", "stale")
                    .body(equalTo("v1"));
            assertThat(TestOrigin.calls(key)).isEqualTo(1);
        } finally {
            given().delete("/v1/admin/degradation").then().statusCode(200);
        }
        given().get(STALE + key).then().statusCode(200).body(equalTo("v2"));
    }

    /** A fill lease held by a gateway that died: it expires 700 ms from now. */
    private void leaseOfADeadGateway(String ns, String key) throws Exception {
        redis.send(Request.cmd(Command.SET)
                        .arg("meridian:lease:" + ns + ":" + key)
                        .arg("a gateway that died")
                        .arg("PX")
                        .arg(700))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private static Response mget(String ns, List<String> keys) {
        return given().urlEncodingEnabled(false)
                .contentType("application/json")
                .body(java.util.Map.of("keys", keys))
                .post("/v1/namespaces/" + ns + "/keys:mget");
    }

    private static List<List<String>> batchesWith(String key) {
        return TestOrigin.BATCHES.stream().filter(batch -> batch.contains(key)).toList();
    }

    /** A GPath name for a key with dashes and colons. */
    private static String quoted(String key) {
        return "'" + key + "'";
    }
}

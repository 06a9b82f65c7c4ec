package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conditional writes, fill leases and external versions against the real Redis and Kafka: a write that does not
 * meet its condition changes nothing and says why (412 or 409 naming the header); concurrent {@code If-Match}
 * writers of one version have exactly one winner; a late fill carrying a lease or an older external version cannot
 * bring a deleted value back.
 */
@GatewayTest
class ConditionalWritesIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    @Test
    void ifMatch_writesOnlyOverTheNamedVersion() {
        String key = UniqueKeys.key("if-match");
        String etag = given().body("v1")
                .put(KEYS + key)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");

        given().header("If-Match", "\"0000000000000000beef\"")
                .body("lost")
                .put(KEYS + key)
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("field", equalTo("If-Match"));
        given().header("If-Match", etag).body("v2").put(KEYS + key).then().statusCode(200);

        given().get(KEYS + key).then().body(equalTo("v2"));
        given().header("If-Match", etag).body("v3").put(KEYS + key).then().statusCode(412);
        given().get(KEYS + key).then().body(equalTo("v2"));
    }

    @Test
    void ifNoneMatchStar_createsOnlyWhenAbsent() {
        String key = UniqueKeys.key("create-only");

        given().header("If-None-Match", "*")
                .body("first")
                .put(KEYS + key)
                .then()
                .statusCode(200);
        given().header("If-None-Match", "*")
                .body("second")
                .put(KEYS + key)
                .then()
                .statusCode(412)
                .body("field", equalTo("If-None-Match"));

        given().get(KEYS + key).then().body(equalTo("first"));
        given().delete(KEYS + key).then().statusCode(200);
        given().header("If-None-Match", "*")
                .body("after delete")
                .put(KEYS + key)
                .then()
                .statusCode(200);
    }

    @Test
    void concurrentIfMatchWriters_exactlyOneWins() throws Exception {
        String key = UniqueKeys.key("race");
        String etag = given().body("base")
                .put(KEYS + key)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "writer-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().header("If-Match", etag).body(body).put(KEYS + key);
                }));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Response answer = answers.get(i).get(20, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    winners.add("writer-" + i);
                } else {
                    assertThat(answer.statusCode()).as(answer.body().asString()).isIn(409, 412);
                }
            }

            assertThat(winners).hasSize(1);
            given().get(KEYS + key).then().body(equalTo(winners.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaseFromAMiss_writesWhenNothingChanged() {
        String key = UniqueKeys.key("leased");
        String lease = given().get(KEYS + key).then().statusCode(404).extract().header("Meridian-Lease");
        assertThat(lease).isNotBlank();

        given().header("Meridian-Lease", lease)
                .body("from the database")
                .put(KEYS + key)
                .then()
                .statusCode(200);

        given().get(KEYS + key).then().statusCode(200).body(equalTo("from the database"));
    }

    @Test
    void oneLeasePerKeyPerPeriod() {
        String key = UniqueKeys.key("herd");

        String first = given().get(KEYS + key).then().statusCode(404).extract().header("Meridian-Lease");
        String second = given().get(KEYS + key).then().statusCode(404).extract().header("Meridian-Lease");

        assertThat(first).isNotBlank();
        assertThat(second).isNull();
    }

    @Test
    void lateFillWithALease_afterAWriteAndADelete_isRefused_andTheKeyStaysDeleted() {
        String key = UniqueKeys.key("stale-fill");
        String lease = given().get(KEYS + key).then().statusCode(404).extract().header("Meridian-Lease");
        given().body("newer").put(KEYS + key).then().statusCode(200);
        given().delete(KEYS + key).then().statusCode(200);

        given().header("Meridian-Lease", lease)
                .body("stale row")
                .put(KEYS + key)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("Meridian-Lease"));

        given().get(KEYS + key).then().statusCode(404);
    }

    @Test
    void externalVersions_refuseOlderData_andADeleteBlocksItsOwnVersion() {
        String key = UniqueKeys.key("external");
        String path = KEYS + key;

        given().header("Meridian-External-Version", "5")
                .body("row v5")
                .put(path)
                .then()
                .statusCode(200);
        given().header("Meridian-External-Version", "4")
                .body("row v4")
                .put(path)
                .then()
                .statusCode(409)
                .body("field", equalTo("Meridian-External-Version"));
        given().get(path).then().body(equalTo("row v5"));

        given().header("Meridian-External-Version", "6").delete(path).then().statusCode(200);
        // A fill that read the row at version 6 (or before) raced the delete: it must not bring it back.
        given().header("Meridian-External-Version", "6")
                .body("row v6")
                .put(path)
                .then()
                .statusCode(409);
        given().get(path).then().statusCode(404);

        given().header("Meridian-External-Version", "7")
                .body("row v7")
                .put(path)
                .then()
                .statusCode(200);
        given().get(path).then().body(equalTo("row v7"));
    }

    @Test
    void malformedConditions_are400NamingTheHeader() {
        String key = UniqueKeys.key("bad-conditions");
        String foreignLease = given().get(KEYS + UniqueKeys.key("other"))
                .then()
                .statusCode(404)
                .extract()
                .header("Meridian-Lease");

        expect400(given().header("If-Match", "not-a-version").body("x").put(KEYS + key), "If-Match");
        expect400(given().header("If-None-Match", "\"abc\"").body("x").put(KEYS + key), "If-None-Match");
        expect400(
                given().header("Meridian-External-Version", "-1").body("x").put(KEYS + key),
                "Meridian-External-Version");
        expect400(given().header("Meridian-Lease", "garbage").body("x").put(KEYS + key), "Meridian-Lease");
        expect400(given().header("Meridian-Lease", foreignLease).body("x").put(KEYS + key), "Meridian-Lease");
        given().get(KEYS + key).then().statusCode(404);
    }

    private static void expect400(Response response, String field) {
        response.then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }
}

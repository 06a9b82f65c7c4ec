package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Epochs of home assignments ({@code HomeAssignment}) in the one region of the test deployment: a state change older
 * than the one held is refused, a retried one is taken again, clearing keeps the epoch, and a write forwarded under
 * another epoch of its key's home than the one held here is refused rather than executed.
 */
@GatewayTest
class HandoverEpochIntegrationTest {

    private static final String HANDOVERS = "/v1/admin/handovers/";
    private static final String SECRET = "Meridian-Internal-Secret";
    private static final String EPOCHS = "Meridian-Assignment-Epochs";

    /** The shared Redis keeps the epochs of earlier runs: every epoch here is relative to the one held at the start. */
    private static long held() {
        return given().get("/v1/admin/handovers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("epochs.us-east");
    }

    @AfterEach
    void atHome() {
        given().delete(HANDOVERS + "us-east").then().statusCode(200);
    }

    @Test
    void aStateChange_olderThanTheOneHeld_isRefused_andARetriedOneIsTakenAgain() {
        long epoch = held() + 5;
        given().contentType(ContentType.JSON)
                .body("{\"state\":\"draining\",\"epoch\":" + epoch + "}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(200)
                .body("states.us-east", equalTo("draining"))
                .body("epochs.us-east", equalTo((int) epoch));

        given().contentType(ContentType.JSON)
                .body("{\"state\":\"moved\",\"epoch\":" + (epoch - 1) + "}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("stale-epoch"))
                .body("field", equalTo("epoch"));
        given().contentType(ContentType.JSON)
                .body("{\"state\":\"moved\",\"epoch\":" + epoch + "}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(409); // another state under the same epoch
        given().contentType(ContentType.JSON)
                .body("{\"state\":\"draining\",\"epoch\":" + epoch + "}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(200); // the same change again

        // Clearing is an assignment too: the epoch stays, and an unnumbered change takes the next one.
        given().delete(HANDOVERS + "us-east?epoch=" + (epoch + 1))
                .then()
                .statusCode(200)
                .body("states.us-east", equalTo(null))
                .body("epochs.us-east", equalTo((int) epoch + 1));
        given().delete(HANDOVERS + "us-east?epoch=" + epoch).then().statusCode(409);
        given().delete(HANDOVERS + "us-east").then().statusCode(200).body("epochs.us-east", equalTo((int) epoch + 2));
    }

    @Test
    void badEpochOrFence_isRefusedNamingTheField() {
        given().contentType(ContentType.JSON)
                .body("{\"state\":\"draining\",\"epoch\":0}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(400)
                .body("field", equalTo("epoch"));
        given().contentType(ContentType.JSON)
                .body("{\"state\":\"moved\",\"fence\":{\"0\":-1}}")
                .put(HANDOVERS + "us-east")
                .then()
                .statusCode(400)
                .body("field", equalTo("fence"));
        assertThat(given().get("/v1/admin/handovers").jsonPath().getMap("states"))
                .doesNotContainKey("us-east");
    }

    @Test
    void aWriteForwardedUnderAnotherEpoch_isRefused_underTheHeldOneItIsExecuted() {
        long epoch = held();
        String key = UniqueKeys.key("epoch");
        String internal = "/internal/v1/namespaces/tweets/keys/" + key + "?ttlMs=60000";

        given().header(SECRET, "test-secret")
                .header(EPOCHS, "us-east=" + (epoch + 1))
                .body("ahead")
                .put(internal)
                .then()
                .statusCode(503)
                .body("detail", containsString("epoch " + (epoch + 1)));
        given().header(SECRET, "test-secret")
                .header(EPOCHS, "us-east=" + epoch + ",eu-west=9")
                .delete("/internal/v1/namespaces/tweets/keys/" + key)
                .then()
                .statusCode(200); // a region this deployment does not have is not compared
        given().header(SECRET, "test-secret")
                .header(EPOCHS, "us-east=" + epoch)
                .body("agreed")
                .put(internal)
                .then()
                .statusCode(200);
        given().header(SECRET, "test-secret")
                .header(EPOCHS, "us-east=many")
                .body("garbage")
                .put(internal)
                .then()
                .statusCode(400)
                .body("field", equalTo(EPOCHS));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        given().get("/v1/namespaces/tweets/keys/" + key).then().body(equalTo("agreed")));
    }
}

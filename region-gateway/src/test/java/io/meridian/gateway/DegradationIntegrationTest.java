package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Degradation levels pinned through the admin API: SURVIVAL is read-only except for priority 1, the level and what
 * it switches off are in {@code /v1/status}, and a malformed priority is refused naming the header.
 */
@GatewayTest
class DegradationIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    @AfterEach
    void release() {
        given().delete("/v1/admin/degradation").then().statusCode(200).body("pinned", equalTo(false));
    }

    @Test
    void survival_isReadOnly_exceptForPriorityOne() {
        String key = UniqueKeys.key("survival");
        given().body("before").put(KEYS + key).then().statusCode(200);

        given().contentType("application/json")
                .body("{\"level\":\"SURVIVAL\"}")
                .put("/v1/admin/degradation")
                .then()
                .statusCode(200)
                .body("level", equalTo("SURVIVAL"))
                .body("pinned", equalTo(true))
                .body("switchedOff", hasItem("writes"));

        given().body("refused")
                .put(KEYS + key)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", org.hamcrest.Matchers.endsWith("read-only"));
        given().header("Meridian-Priority", "2").delete(KEYS + key).then().statusCode(503);
        given().get(KEYS + key).then().statusCode(200).body(equalTo("before"));
        given().header("Meridian-Priority", "1")
                .body("priority one")
                .put(KEYS + key)
                .then()
                .statusCode(200);
        given().get("/v1/status").then().body("level", equalTo("SURVIVAL")).body("switchedOff", hasItem("fresh-reads"));

        release();
        given().body("after").put(KEYS + key).then().statusCode(200);
        given().get("/v1/status").then().body("level", equalTo("NORMAL"));
    }

    @Test
    void malformedPriority_andLevel_are400NamingTheField() {
        given().header("Meridian-Priority", "7")
                .get(KEYS + UniqueKeys.key("priority"))
                .then()
                .statusCode(400)
                .body("field", equalTo("Meridian-Priority"));
        given().contentType("application/json")
                .body("{\"level\":\"PANIC\"}")
                .put("/v1/admin/degradation")
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
    }
}

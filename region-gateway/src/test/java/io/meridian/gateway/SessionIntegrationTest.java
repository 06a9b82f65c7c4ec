package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

/** The session token's round trip through one region: issued on writes, returned on reads that send one. */
@GatewayTest
class SessionIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    @Test
    void write_returnsToken_andReadWithItReturnsAnUpdatedOne() {
        String key = UniqueKeys.key("session");
        String token = given().body("mine")
                .put(KEYS + key)
                .then()
                .statusCode(200)
                .header("Meridian-Session", notNullValue())
                .extract()
                .header("Meridian-Session");

        String returned = given().header("Meridian-Session", token)
                .get(KEYS + key)
                .then()
                .statusCode(200)
                .body(equalTo("mine"))
                .extract()
                .header("Meridian-Session");
        assertThat(returned).isNotBlank();
        given().get(KEYS + key).then().statusCode(200).header("Meridian-Session", nullValue());
    }

    @Test
    void readOfADeletedKey_withToken_answers404AndReturnsTheToken() {
        String key = UniqueKeys.key("deleted");
        given().body("x").put(KEYS + key).then().statusCode(200);
        String token =
                given().delete(KEYS + key).then().statusCode(200).extract().header("Meridian-Session");

        given().header("Meridian-Session", token)
                .get(KEYS + key)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("Meridian-Session", notNullValue());
    }

    @Test
    void tokenFromAWrite_carriesIntoTheNextWrite() {
        String first = given().body("a")
                .put(KEYS + UniqueKeys.key("s1"))
                .then()
                .extract()
                .header("Meridian-Session");
        String second = given().header("Meridian-Session", first)
                .body("b")
                .put(KEYS + UniqueKeys.key("s2"))
                .then()
                .statusCode(200)
                .extract()
                .header("Meridian-Session");

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void garbageOrTamperedToken_answers400NamingTheHeader() {
        String key = UniqueKeys.key("forged");
        String token = given().body("x").put(KEYS + key).then().extract().header("Meridian-Session");
        int middle = token.indexOf('.') / 2;
        String tampered =
                token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);

        for (String bad : new String[] {"garbage", tampered, token + "x"}) {
            given().header("Meridian-Session", bad)
                    .get(KEYS + key)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("Meridian-Session"));
            given().header("Meridian-Session", bad)
                    .body("y")
                    .put(KEYS + key)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("Meridian-Session"));
        }
        given().get(KEYS + key).then().statusCode(200).body(equalTo("x"));
    }

    @Test
    void unknownConsistency_answers400NamingTheHeader() {
        given().header("Meridian-Consistency", "strong")
                .get(KEYS + UniqueKeys.key("consistency"))
                .then()
                .statusCode(400)
                .body("field", equalTo("Meridian-Consistency"));
    }
}

package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.ValidatableResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every bad input answers a 4xx problem+json naming the field, and writes nothing. */
@GatewayTest
class BadInputIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    private static void problem(ValidatableResponse response, int status, String field) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("field", equalTo(field))
                .body("type", containsString("https://meridian.dev/problems/"))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("detail", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void unknownNamespace_answers404NamingNamespace() {
        problem(given().body("x").put("/v1/namespaces/nope/keys/k").then(), 404, "namespace");
        problem(given().get("/v1/namespaces/nope/keys/k").then(), 404, "namespace");
    }

    @Test
    void counterNamespaceOnKeysApi_answers400NamingNamespace() {
        problem(given().body("x").put("/v1/namespaces/counts/keys/k").then(), 400, "namespace");
    }

    @Test
    void emptyKey_answers400NamingKey() {
        problem(given().body("x").put("/v1/namespaces/tweets/keys").then(), 400, "key");
        problem(given().body("x").put("/v1/namespaces/tweets/keys/").then(), 400, "key");
    }

    @Test
    void overLongKey_answers400NamingKey_andStoresNothing() {
        String key = "k".repeat(513);
        problem(given().body("x").put(KEYS + key).then(), 400, "key");
        problem(given().get(KEYS + key).then(), 400, "key");
    }

    @Test
    void keyOf512Bytes_isAccepted() {
        String key = UniqueKeys.key("long");
        key = key + "k".repeat(512 - key.length());
        given().body("x").put(KEYS + key).then().statusCode(200);
    }

    @Test
    void controlCharacterInKey_answers400NamingKey() {
        String key = UniqueKeys.key("ctl") + "%01x";
        problem(given().urlEncodingEnabled(false).body("x").put(KEYS + key).then(), 400, "key");
        problem(
                given().urlEncodingEnabled(false)
                        .body("x")
                        .put(KEYS + UniqueKeys.key("tab") + "%09")
                        .then(),
                400,
                "key");
    }

    @Test
    void malformedTtl_answers400NamingTtl() {
        String key = UniqueKeys.key("bad-ttl");
        problem(given().body("x").put(KEYS + key + "?ttl=soon").then(), 400, "ttl");
        problem(given().body("x").put(KEYS + key + "?ttl=10parsecs").then(), 400, "ttl");
        given().get(KEYS + key).then().statusCode(404);
    }

    @Test
    void negativeOrZeroTtl_answers400NamingTtl() {
        problem(given().body("x").put(KEYS + UniqueKeys.key("neg") + "?ttl=-5s").then(), 400, "ttl");
        problem(
                given().body("x")
                        .put(KEYS + UniqueKeys.key("neg") + "?ttl=PT-5S")
                        .then(),
                400,
                "ttl");
        problem(given().body("x").put(KEYS + UniqueKeys.key("zero") + "?ttl=0").then(), 400, "ttl");
    }

    @Test
    void ttlOverNamespaceMax_answers400NamingTtl() {
        // tweets: max 7d
        problem(
                given().body("x")
                        .put(KEYS + UniqueKeys.key("long-ttl") + "?ttl=8d")
                        .then(),
                400,
                "ttl");
    }

    @Test
    void valueOverSizeLimit_answers413NamingBody_andStoresNothing() {
        String key = UniqueKeys.key("big");
        // the test profile's namespace "tiny" takes at most 16 bytes
        problem(
                given().body("x".repeat(17))
                        .put("/v1/namespaces/tiny/keys/" + key)
                        .then(),
                413,
                "body");
        given().get("/v1/namespaces/tiny/keys/" + key).then().statusCode(404);
        given().body("x".repeat(16))
                .put("/v1/namespaces/tiny/keys/" + key)
                .then()
                .statusCode(200);
    }

    @Test
    void unstorableContentType_answers415() {
        problem(
                given().contentType("text/" + "x".repeat(300))
                        .body("x")
                        .put(KEYS + UniqueKeys.key("ct"))
                        .then(),
                415,
                "Content-Type");
    }

    @Test
    void mgetMalformedJson_answers400NamingBody() {
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("{\"keys\": [")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "body");
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("[]")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "body");
    }

    @Test
    void mgetWithoutKeys_answers400NamingKeys() {
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("{\"keys\": []}")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "keys");
    }

    @Test
    void mgetTooManyKeys_answers400NamingKeys() {
        String keys = IntStream.range(0, 101).mapToObj(i -> "\"k" + i + "\"").collect(Collectors.joining(","));
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("{\"keys\": [" + keys + "]}")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "keys");
    }

    @Test
    void mgetBadKey_answers400NamingItsIndex() {
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("{\"keys\": [\"ok\", \"\"]}")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "keys[1]");
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("application/json")
                        .body("{\"keys\": [42]}")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                400,
                "keys[0]");
    }

    @Test
    void mgetNotJson_answers415() {
        problem(
                given().urlEncodingEnabled(false)
                        .contentType("text/plain")
                        .body("keys=a")
                        .post("/v1/namespaces/tweets/keys:mget")
                        .then(),
                415,
                "Content-Type");
    }
}

package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

@GatewayTest
class KeysApiIntegrationTest {

    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    @Test
    void put_thenGet_returnsBodyWithContentTypeAndHeaders() {
        String key = UniqueKeys.key("tweet");
        String version = given().contentType("text/plain; charset=UTF-8")
                .body("hello")
                .when()
                .put(KEYS + key + "?ttl=60s")
                .then()
                .statusCode(200)
                .body("key", equalTo(key))
                .body("home", equalTo("us-east"))
                .body("version", matchesPattern("[0-9a-f]{20}"))
                .body("expiresAt", notNullValue())
                .extract()
                .path("version");

        given().when()
                .get(KEYS + key)
                .then()
                .statusCode(200)
                .contentType("text/plain; charset=UTF-8")
                .body(equalTo("hello"))
                .header("ETag", "\"" + version + "\"")
                .header("Meridian-Source", "local")
                .header("Meridian-Home", "us-east")
                .header("Age", matchesPattern("\\d+"))
                .header("Cache-Control", matchesPattern("max-age=(5\\d|60)"));
    }

    @Test
    void put_binaryBody_isKeptByteForByte() {
        String key = UniqueKeys.key("bin");
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        given().contentType("application/octet-stream")
                .body(body)
                .put(KEYS + key)
                .then()
                .statusCode(200);

        byte[] read = given().get(KEYS + key).then().statusCode(200).extract().asByteArray();
        assertThat(read).isEqualTo(body);
    }

    @Test
    void get_withMatchingIfNoneMatch_answers304() {
        String key = UniqueKeys.key("etag");
        String version = given().body("v1")
                .put(KEYS + key)
                .then()
                .statusCode(200)
                .extract()
                .path("version");

        given().header("If-None-Match", "\"" + version + "\"")
                .get(KEYS + key)
                .then()
                .statusCode(304)
                .header("ETag", "\"" + version + "\"");
        given().header("If-None-Match", "\"00000000000000000000\"")
                .get(KEYS + key)
                .then()
                .statusCode(200)
                .body(equalTo("v1"));
    }

    @Test
    void put_twice_secondVersionIsNewerAndWins() {
        String key = UniqueKeys.key("overwrite");
        String first = given().body("one").put(KEYS + key).then().extract().path("version");
        String second = given().body("two").put(KEYS + key).then().extract().path("version");

        assertThat(second).isGreaterThan(first);
        given().get(KEYS + key).then().statusCode(200).body(equalTo("two"));
    }

    @Test
    void delete_removesValue_andIsIdempotent() {
        String key = UniqueKeys.key("del");
        given().body("bye").put(KEYS + key).then().statusCode(200);

        given().delete(KEYS + key).then().statusCode(200).body("version", matchesPattern("[0-9a-f]{20}"));
        given().get(KEYS + key)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        given().delete(KEYS + key).then().statusCode(200);
    }

    @Test
    void get_absentKey_answers404Problem() {
        given().get(KEYS + UniqueKeys.key("absent"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", matchesPattern(".*/key-not-found"));
    }

    @Test
    void put_withShortTtl_expires() {
        // Not tweets: its reads slide the expiry forward (refresh-on-access).
        String path = "/v1/namespaces/users/keys/" + UniqueKeys.key("ttl");
        given().body("brief").put(path + "?ttl=1s").then().statusCode(200);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get(path).then().statusCode(404));
    }

    @Test
    void put_withoutTtl_usesNamespaceDefaultMinusJitter() {
        String key = UniqueKeys.key("default-ttl");
        String expiresAt = given().body("x").put(KEYS + key).then().extract().path("expiresAt");

        // tweets: default 24h, jitter 5%: expiry between 22.8h and 24h from now.
        Duration left = Duration.between(Instant.now(), Instant.parse(expiresAt));
        assertThat(left).isBetween(Duration.ofMinutes(22 * 60 + 47), Duration.ofHours(24));
    }

    @Test
    void put_withIsoTtl_isAccepted() {
        given().body("x").put(KEYS + UniqueKeys.key("iso") + "?ttl=PT2M").then().statusCode(200);
    }

    @Test
    void put_keyWithSlashAndUnicode_roundTrips() {
        String key = UniqueKeys.key("user:42/naïve-ключ");
        given().urlEncodingEnabled(true)
                .body("u")
                .put(KEYS + "{key}", key)
                .then()
                .statusCode(200);

        given().get(KEYS + "{key}", key).then().statusCode(200).body(equalTo("u"));
    }

    @Test
    void mget_returnsFoundValuesAndMissingKeys() {
        String text = UniqueKeys.key("m-text");
        String binary = UniqueKeys.key("m-bin");
        String absent = UniqueKeys.key("m-absent");
        given().urlEncodingEnabled(false)
                .contentType("application/json")
                .body("{\"a\":1}")
                .put(KEYS + text)
                .then()
                .statusCode(200);
        given().contentType("image/png")
                .body(new byte[] {1, 2, 3})
                .put(KEYS + binary)
                .then()
                .statusCode(200);

        Response answer = given().urlEncodingEnabled(false)
                .contentType("application/json")
                .body("{\"keys\":[\"" + text + "\",\"" + binary + "\",\"" + absent + "\"]}")
                .post("/v1/namespaces/tweets/keys:mget")
                .then()
                .statusCode(200)
                .extract()
                .response();

        assertThat(answer.jsonPath().getString("values.'" + text + "'.value")).isEqualTo("{\"a\":1}");
        assertThat(answer.jsonPath().getString("values.'" + text + "'.encoding"))
                .isEqualTo("utf-8");
        assertThat(answer.jsonPath().getString("values.'" + binary + "'.value"))
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        assertThat(answer.jsonPath().getString("values.'" + binary + "'.encoding"))
                .isEqualTo("base64");
        assertThat(answer.jsonPath().getList("missing")).isEqualTo(List.of(absent));
    }
}

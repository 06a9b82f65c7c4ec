package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.session.SessionTokens;
import io.restassured.response.Response;
import io.vertx.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The near cache against the real Redis: hot reads are answered from memory ({@code Meridian-Source: l1}), a change
 * made by another writer of the region reaches every gateway through the invalidation channel (well before the near
 * cache's TTL, 30 s in tests), and a session token is never answered with an entry older than it allows.
 */
@GatewayTest
class NearCacheIntegrationTest {

    /** The tests' only region is every key's home. */
    private static final String KEYS = "/v1/namespaces/tweets/keys/";

    @Inject
    Redis redis;

    @Inject
    SessionTokens tokens;

    @Inject
    io.meridian.gateway.nearcache.NearCache nearCache;

    @Test
    void repeatedReads_areAnsweredFromTheNearCache() {
        String key = UniqueKeys.key("l1-hot");
        given().body("hot value").put(KEYS + key).then().statusCode(200);

        given().get(KEYS + key).then().statusCode(200).header("Meridian-Source", "local");
        given().get(KEYS + key)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "l1")
                .header("ETag", org.hamcrest.Matchers.notNullValue())
                .body(equalTo("hot value"));
    }

    @Test
    void aFill_isRefusedByAChangeOfItsOwnKey_notByChangesOfOtherKeys() {
        String key = UniqueKeys.key("l1-fill");
        await().atMost(Duration.ofSeconds(10)).until(nearCache::isServing);
        String other = otherStripe(key);
        StoredEntry read = new StoredEntry(
                StoredValue.value(
                        new Version(System.currentTimeMillis() << 16, 1),
                        "text/plain",
                        "v".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                60_000);

        long before = nearCache.sequence("tweets", key);
        nearCache.changed("tweets", other);
        nearCache.offer("tweets", key, 0, read, before);
        assertThat(nearCache.get("tweets", key, 0))
                .as("another key's change holds no fill back")
                .isPresent();

        long sequence = nearCache.sequence("tweets", key);
        nearCache.changed("tweets", key);
        nearCache.offer("tweets", key, 0, read, sequence);
        assertThat(nearCache.get("tweets", key, 0))
                .as("a change of the key between the read and the fill refuses the fill")
                .isEmpty();
    }

    /** A key whose change does not move {@code key}'s invalidation count (another stripe of the counter). */
    private String otherStripe(String key) {
        for (int i = 0; ; i++) {
            String other = key + "-other-" + i;
            long before = nearCache.sequence("tweets", key);
            nearCache.changed("tweets", other);
            if (nearCache.sequence("tweets", key) == before) {
                return other;
            }
        }
    }

    @Test
    void aWriteThroughThisGateway_dropsItsEntryAtOnce() {
        String key = UniqueKeys.key("l1-own");
        given().body("v1").put(KEYS + key).then().statusCode(200);
        given().get(KEYS + key);
        given().get(KEYS + key).then().header("Meridian-Source", "l1");

        given().body("v2").put(KEYS + key).then().statusCode(200);

        given().get(KEYS + key).then().statusCode(200).body(equalTo("v2"));
    }

    @Test
    void aChangeAnnouncedByAnotherWriterOfTheRegion_dropsTheEntry() throws Exception {
        String key = UniqueKeys.key("l1-other");
        Response put = given().body("v1").put(KEYS + key);
        Version written = Version.fromHex(put.jsonPath().getString("version"));
        given().get(KEYS + key);
        given().get(KEYS + key).then().header("Meridian-Source", "l1");

        // What a replicator or another gateway of the region does: store a newer version, then announce the key.
        DirectWrites.store(redis, RedisKeys.value("tweets", key), DirectWrites.newer(written), "v2 from elsewhere");
        DirectWrites.announce(redis, "tweets", key);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(given().get(KEYS + key).body().asString()).isEqualTo("v2 from elsewhere"));
    }

    @Test
    void aTokenNewerThanTheEntry_isNeverAnsweredFromTheNearCache() throws Exception {
        String key = UniqueKeys.key("l1-token");
        Response put = given().body("v1").put(KEYS + key);
        String home = put.header("Meridian-Home");
        Version written = Version.fromHex(put.jsonPath().getString("version"));
        given().get(KEYS + key);
        given().get(KEYS + key).then().header("Meridian-Source", "l1");

        // A newer version lands in Redis without an announcement (a lost pub/sub message): the entry is stale.
        Version newer = DirectWrites.newer(written);
        DirectWrites.store(redis, RedisKeys.value("tweets", key), newer, "v2");
        String token = tokens.format(new SessionToken(Map.of(home, newer)));

        given().header("Meridian-Session", token)
                .get(KEYS + key)
                .then()
                .statusCode(200)
                .header("Meridian-Source", "local")
                .body(equalTo("v2"));
        // The newer value read from Redis replaced the stale entry.
        given().get(KEYS + key).then().header("Meridian-Source", "l1").body(equalTo("v2"));
    }
}

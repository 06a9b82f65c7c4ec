package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.session.SessionTokens;
import io.restassured.response.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hot-key replicas against the real Redis, in {@code hot-replicated} (near cache off, 3 replicas, replica TTL 30 s in
 * tests): a hot key is read from its replicas, a write deletes all of them before it is answered, a change announced
 * by another writer of the region deletes them too, and a session token is never answered with an older replica.
 */
@GatewayTest
class HotKeyReplicasIntegrationTest {

    private static final String NS = "hot-replicated";
    private static final String KEYS = "/v1/namespaces/" + NS + "/keys/";
    private static final int REPLICAS = 3;

    @Inject
    Redis redis;

    @Inject
    SessionTokens tokens;

    @Test
    void hotKey_isCopiedToEveryReplica_andReadFromThem() throws Exception {
        String key = UniqueKeys.key("replicated");
        given().body("hot").put(KEYS + key).then().statusCode(200);

        awaitReplicas(key, REPLICAS);

        assertThat(replicaHits()).isPositive();
        given().get(KEYS + key).then().statusCode(200).body(equalTo("hot"));
    }

    @Test
    void aWriteThroughTheGateway_deletesEveryReplicaBeforeItIsAnswered() throws Exception {
        String key = UniqueKeys.key("replicated-own");
        given().body("v1").put(KEYS + key).then().statusCode(200);
        awaitReplicas(key, REPLICAS);

        given().body("v2").put(KEYS + key).then().statusCode(200);

        assertThat(replicasPresent(key)).isZero();
        given().get(KEYS + key).then().statusCode(200).body(equalTo("v2"));
    }

    @Test
    void aChangeAnnouncedByAnotherWriterOfTheRegion_deletesTheReplicas() throws Exception {
        String key = UniqueKeys.key("replicated-other");
        Version written =
                Version.fromHex(given().body("v1").put(KEYS + key).jsonPath().getString("version"));
        awaitReplicas(key, REPLICAS);

        // What a replicator does: store a newer version, then announce the key.
        DirectWrites.store(redis, RedisKeys.value(NS, key), DirectWrites.newer(written), "v2 from elsewhere");
        DirectWrites.announce(redis, NS, key);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(given().get(KEYS + key).body().asString()).isEqualTo("v2 from elsewhere"));
    }

    @Test
    void aTokenNewerThanAReplica_isAnsweredFromTheKeyItself() throws Exception {
        String key = UniqueKeys.key("replicated-token");
        Response put = given().body("v1").put(KEYS + key);
        String home = put.header("Meridian-Home");
        Version v1 = Version.fromHex(put.jsonPath().getString("version"));
        awaitReplicas(key, REPLICAS);

        // A newer version lands without an announcement (a lost pub/sub message): every replica is stale.
        Version v2 = DirectWrites.newer(v1);
        DirectWrites.store(redis, RedisKeys.value(NS, key), v2, "v2");
        String token = tokens.format(new SessionToken(Map.of(home, v2)));

        for (int i = 0; i < 30; i++) {
            given().header("Meridian-Session", token)
                    .get(KEYS + key)
                    .then()
                    .statusCode(200)
                    .body(equalTo("v2"));
        }
        // Without a token a stale replica may answer until its TTL: what the replicas hold is still v1.
        assertThat(replicasPresent(key)).isEqualTo(REPLICAS);
    }

    /** Reads the key (keeping it hot) until this many of its replicas exist. */
    private void awaitReplicas(String key, int count) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (int i = 0; i < 20; i++) {
                        given().get(KEYS + key).then().statusCode(200);
                    }
                    return replicasPresent(key) == count;
                });
    }

    private int replicasPresent(String key) throws Exception {
        int present = 0;
        for (int replica = 0; replica < REPLICAS; replica++) {
            String replicaKey = RedisKeys.hotReplica(RedisKeys.value(NS, key), replica);
            present += redis.send(Request.cmd(Command.EXISTS).arg(replicaKey))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)
                    .toInteger();
        }
        return present;
    }

    private static double replicaHits() {
        String prefix = "meridian_hot_key_replica_hits_total{namespace=\"" + NS + "\"} ";
        return given().get("/q/metrics")
                .body()
                .asString()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(prefix.length()).trim()))
                .sum();
    }
}

package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

/**
 * Purges against the real Redis and Kafka: a namespace purge makes every key of the namespace read as absent at once
 * (the near cache included) while other namespaces and later writes are untouched; an owner purge removes one owner's
 * keys in owner-placed namespaces and no one else's. The replicator's sweep and other regions are covered by the
 * replicator's and the launcher's tests.
 */
@GatewayTest
class PurgeIntegrationTest {

    @Test
    void namespacePurge_hidesEveryKeyWrittenBefore_andKeepsOtherNamespacesAndLaterWrites() {
        String purged = UniqueKeys.key("doomed");
        String kept = UniqueKeys.key("kept");
        given().body("old")
                .put("/v1/namespaces/purgeable/keys/" + purged)
                .then()
                .statusCode(200);
        given().body("other namespace")
                .put("/v1/namespaces/tweets/keys/" + kept)
                .then()
                .statusCode(200);
        // Read twice: the second read is served from the near cache.
        given().get("/v1/namespaces/purgeable/keys/" + purged).then().statusCode(200);
        given().get("/v1/namespaces/purgeable/keys/" + purged).then().header("Meridian-Source", "l1");

        given().delete("/v1/namespaces/purgeable")
                .then()
                .statusCode(202)
                .body("version", notNullValue())
                .body("namespaces", equalTo(java.util.List.of("purgeable")));

        given().get("/v1/namespaces/purgeable/keys/" + purged).then().statusCode(404);
        given().get("/v1/namespaces/tweets/keys/" + kept).then().statusCode(200).body(equalTo("other namespace"));
        given().body("new")
                .put("/v1/namespaces/purgeable/keys/" + purged)
                .then()
                .statusCode(200);
        given().get("/v1/namespaces/purgeable/keys/" + purged)
                .then()
                .statusCode(200)
                .body(equalTo("new"));
        given().get("/v1/status").then().body("purges.namespace", hasItem("purgeable"));
    }

    @Test
    void ownerPurge_hidesThatOwnersKeysOnly() {
        String owner = "owner" + UniqueKeys.key("p").substring(2, 10);
        String neighbour = owner + "x";
        given().body("mine")
                .put("/v1/namespaces/users/keys/" + owner + ":profile")
                .then()
                .statusCode(200);
        given().body("theirs")
                .put("/v1/namespaces/users/keys/" + neighbour + ":profile")
                .then()
                .statusCode(200);

        given().delete("/v1/owners/" + owner)
                .then()
                .statusCode(202)
                .body("owner", equalTo(owner))
                .body("namespaces", hasItem("users"));

        given().get("/v1/namespaces/users/keys/" + owner + ":profile").then().statusCode(404);
        given().get("/v1/namespaces/users/keys/" + neighbour + ":profile")
                .then()
                .statusCode(200)
                .body(equalTo("theirs"));
        given().get("/v1/status").then().body("purges.owner", hasItem(owner));
    }

    @Test
    void purgeOfAnUnknownNamespace_is404_andAnOwnerWithAColon_is400() {
        given().delete("/v1/namespaces/no-such-namespace")
                .then()
                .statusCode(404)
                .body("field", equalTo("namespace"));
        given().delete("/v1/owners/a:b").then().statusCode(400).body("field", equalTo("owner"));
    }
}

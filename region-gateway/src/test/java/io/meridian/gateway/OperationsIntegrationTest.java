package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

@GatewayTest
class OperationsIntegrationTest {

    @Test
    void ready_whenRedisAndKafkaReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metrics_exposeMeridianRequestAndCacheCounters() {
        String key = UniqueKeys.key("metrics");
        given().body("m").put("/v1/namespaces/tweets/keys/" + key).then().statusCode(200);
        given().get("/v1/namespaces/tweets/keys/" + key).then().statusCode(200);
        given().get("/v1/namespaces/tweets/keys/" + key + "-absent").then().statusCode(404);

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("meridian_requests_total{namespace=\"tweets\",op=\"put\",outcome=\"ok\"}"))
                .body(containsString("meridian_cache_hits_total{namespace=\"tweets\"}"))
                .body(containsString("meridian_cache_misses_total{namespace=\"tweets\"}"))
                .body(containsString("meridian_request_seconds_bucket"))
                .body(containsString("meridian_kafka_produce_seconds_bucket"));
    }

    @Test
    void metrics_labelUnknownNamespacesAsUnknown() {
        given().get("/v1/namespaces/no-such-ns-label/keys/k").then().statusCode(404);

        given().get("/q/metrics")
                .then()
                .body(containsString("namespace=\"unknown\""))
                .body(org.hamcrest.Matchers.not(containsString("no-such-ns-label")));
    }

    @Test
    void openapi_documentsEveryEndpoint() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/v1/namespaces/{ns}/keys/{key}"))
                .body("paths", hasKey("/v1/namespaces/{ns}/keys:mget"))
                .body("paths", hasKey("/v1/status"))
                .body("paths", hasKey("/v1/namespaces/{ns}"))
                .body("paths", hasKey("/v1/owners/{owner}"));
    }

    @Test
    void openapi_documentsTheWriteConditionHeaders() {
        java.util.List<String> putHeaders = given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("paths.'/v1/namespaces/{ns}/keys/{key}'.put.parameters.findAll { it.in == 'header' }.name");

        org.assertj.core.api.Assertions.assertThat(putHeaders)
                .contains("If-Match", "If-None-Match", "Meridian-Lease", "Meridian-External-Version");
    }

    @Test
    void status_namesRegionAndLevel() {
        given().get("/v1/status")
                .then()
                .statusCode(200)
                .body("region", equalTo("us-east"))
                .body("level", equalTo("NORMAL"));
    }
}

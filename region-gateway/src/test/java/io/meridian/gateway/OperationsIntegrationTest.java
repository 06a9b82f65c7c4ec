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
    void metrics_countersMove_withThePutsHitsAndMissesTheyCount() {
        String key = UniqueKeys.key("metrics");
        String put = "meridian_requests_total{namespace=\"tweets\",op=\"put\",outcome=\"ok\"}";
        String hits = "meridian_cache_hits_total{namespace=\"tweets\"}";
        String misses = "meridian_cache_misses_total{namespace=\"tweets\"}";
        String produced = "meridian_kafka_produce_seconds_count";
        java.util.Map<String, Double> before = samples(put, hits, misses, produced);

        given().body("m").put("/v1/namespaces/tweets/keys/" + key).then().statusCode(200);
        given().get("/v1/namespaces/tweets/keys/" + key).then().statusCode(200);
        given().get("/v1/namespaces/tweets/keys/" + key + "-absent").then().statusCode(404);

        // Other tests may run requests meanwhile: each counter moved by at least what this test did.
        java.util.Map<String, Double> after = samples(put, hits, misses, produced);
        org.assertj.core.api.Assertions.assertThat(after.get(put) - before.get(put))
                .isGreaterThanOrEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(after.get(hits) - before.get(hits))
                .isGreaterThanOrEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(after.get(misses) - before.get(misses))
                .isGreaterThanOrEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(after.get(produced) - before.get(produced))
                .isGreaterThanOrEqualTo(1);
        given().get("/q/metrics").then().body(containsString("meridian_request_seconds_bucket"));
    }

    /** @return the value of each named sample (summed over its series when it names a metric without labels) */
    private static java.util.Map<String, Double> samples(String... names) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.Map<String, Double> values = new java.util.HashMap<>();
        for (String name : names) {
            double sum = 0;
            for (String line : text.split("\n")) {
                boolean matches = name.contains("{")
                        ? line.startsWith(name + " ")
                        : line.startsWith(name + " ") || line.startsWith(name + "{");
                if (matches) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            values.put(name, sum);
        }
        return values;
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

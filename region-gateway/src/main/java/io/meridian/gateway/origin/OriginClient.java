package io.meridian.gateway.origin;

import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.net.PathSegments;
import io.meridian.gateway.net.RegionCircuitBreaker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP calls to a namespace's origin: one key ({@code url}, 200 or 404) or several ({@code batch-url}, a JSON
 * {@code {"values": {key: {"value", "encoding", "contentType"}}}}), each bounded by the origin's timeout and guarded
 * by a circuit breaker per namespace. Every failure is an {@link OriginFailure}; every finished call is counted, and a
 * successful one's time feeds the refresh policy.
 */
final class OriginClient {

    /** What the origin holds for a key: its body and content type; none when it has no such key. */
    record Body(byte[] bytes, String contentType) {}

    private final WebClient client;
    private final GatewayMetrics metrics;
    private final RefreshPolicy policy;
    private final Map<String, RegionCircuitBreaker> breakers = new ConcurrentHashMap<>();

    OriginClient(WebClient client, GatewayMetrics metrics, RefreshPolicy policy) {
        this.client = client;
        this.metrics = metrics;
        this.policy = policy;
    }

    /** @return the origin's value of one key; empty when it answered 404 */
    Uni<Optional<Body>> fetch(String ns, String key, OriginConfig origin) {
        RegionCircuitBreaker breaker = breaker(ns, origin);
        if (!breaker.allows()) {
            return Uni.createFrom().failure(new OriginFailure("the origin's circuit breaker is open"));
        }
        long started = System.nanoTime();
        return client.getAbs(origin.url().replace("{key}", PathSegments.encode(key)))
                .timeout(origin.timeout().toMillis())
                .send()
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    boolean ok = failure == null && (response.statusCode() == 200 || response.statusCode() == 404);
                    settle(ns, breaker, started, response, failure, ok);
                    if (!ok) {
                        return Uni.createFrom().failure(failureOf(response, failure));
                    }
                    if (response.statusCode() == 404) {
                        return Uni.createFrom().item(Optional.<Body>empty());
                    }
                    byte[] body = response.body() == null
                            ? new byte[0]
                            : response.body().getBytes();
                    String type = Optional.ofNullable(response.getHeader("Content-Type"))
                            .orElse("");
                    return Uni.createFrom().item(Optional.of(new Body(body, type)));
                });
    }

    /** @return the origin's value of each key, by one call to its {@code batch-url}; a key it left out is empty */
    Uni<Map<String, Optional<Body>>> fetchBatch(String ns, List<String> keys, OriginConfig origin) {
        RegionCircuitBreaker breaker = breaker(ns, origin);
        if (!breaker.allows()) {
            return Uni.createFrom().failure(new OriginFailure("the origin's circuit breaker is open"));
        }
        long started = System.nanoTime();
        return client.postAbs(origin.batchUrl().orElseThrow())
                .timeout(origin.timeout().toMillis())
                .sendJsonObject(new JsonObject().put("keys", new JsonArray(keys)))
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    boolean ok = failure == null && response.statusCode() == 200;
                    settle(ns, breaker, started, response, failure, ok);
                    if (!ok) {
                        return Uni.createFrom().failure(failureOf(response, failure));
                    }
                    try {
                        return Uni.createFrom().item(parseBatch(response, keys));
                    } catch (OriginFailure malformed) {
                        return Uni.createFrom().failure(malformed);
                    }
                });
    }

    private static Map<String, Optional<Body>> parseBatch(HttpResponse<Buffer> response, List<String> keys) {
        JsonObject values;
        try {
            values = response.bodyAsJsonObject().getJsonObject("values");
        } catch (RuntimeException malformed) {
            values = null;
        }
        if (values == null) {
            throw new OriginFailure("the origin's batch answer has no \"values\" object");
        }
        Map<String, Optional<Body>> bodies = new HashMap<>();
        for (String key : keys) {
            bodies.put(key, bodyOf(key, values.getValue(key)));
        }
        return bodies;
    }

    private static Optional<Body> bodyOf(String key, Object found) {
        if (found == null) {
            return Optional.empty();
        }
        if (!(found instanceof JsonObject value) || !(value.getValue("value") instanceof String text)) {
            throw new OriginFailure("the origin's batch answer for " + key + " has no \"value\" string");
        }
        byte[] body;
        if ("base64".equals(value.getString("encoding"))) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new OriginFailure("the origin's batch answer for " + key + " is not base64");
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        return Optional.of(new Body(
                body, Optional.ofNullable(value.getString("contentType")).orElse("")));
    }

    private RegionCircuitBreaker breaker(String ns, OriginConfig origin) {
        return breakers.computeIfAbsent(
                ns,
                ignored -> new RegionCircuitBreaker(
                        origin.breakerFailures(), origin.breakerOpenFor().toNanos(), System::nanoTime));
    }

    /** Counts a finished call and feeds its outcome to the breaker and, when it succeeded, to the refresh policy. */
    private void settle(
            String ns,
            RegionCircuitBreaker breaker,
            long started,
            HttpResponse<Buffer> response,
            Throwable failure,
            boolean ok) {
        long took = System.nanoTime() - started;
        metrics.originCall(ns, ok ? response.statusCode() : -1, took);
        if (ok) {
            breaker.succeeded();
            policy.loaded(ns, took / 1e6);
        } else {
            breaker.failed();
        }
    }

    private static OriginFailure failureOf(HttpResponse<Buffer> response, Throwable failure) {
        String why = failure != null ? String.valueOf(failure.getMessage()) : "answered " + response.statusCode();
        return new OriginFailure("the origin " + why);
    }
}

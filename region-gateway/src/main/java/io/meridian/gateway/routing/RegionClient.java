package io.meridian.gateway.routing;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.cache.WriteResult;
import io.meridian.gateway.conditions.ConditionHeaders;
import io.meridian.gateway.conditions.WriteConditions;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.net.PathSegments;
import io.meridian.gateway.net.RegionCircuitBreaker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls to other regions' gateways over their internal API: forwarded writes and deletes, and reads of a key's value,
 * version and remaining TTL from its home. Every call is bounded by the forwarding timeout and guarded by a circuit
 * breaker per region; only idempotent calls (deletes, reads) are retried.
 *
 * <p>Over 300 lines because it is the whole client of the internal API: requests, the judgement of answers (relayed
 * pauses, unknown outcomes, breaker outcomes) and the epochs header, which must agree with {@code api.InternalResource}.
 */
@ApplicationScoped
public class RegionClient {

    private final WallClock wall;

    /** Header carrying the shared inter-region secret. */
    public static final String SECRET_HEADER = "Meridian-Internal-Secret";

    /** Header of an internal read: the value's remaining TTL in milliseconds. */
    public static final String REMAINING_TTL_HEADER = "Meridian-Remaining-Ttl-Ms";

    /** Header of an internal read that found a tombstone: its version. */
    public static final String TOMBSTONE_HEADER = "Meridian-Tombstone-Version";

    /**
     * Header of a forwarded write: the sender's assignment epoch per region ({@code us-east=3,eu-west=0}), which the
     * home compares with its own ({@link HomeRegions#writeHomeOf(String, String, boolean, Map)}).
     */
    public static final String EPOCHS_HEADER = "Meridian-Assignment-Epochs";

    private final WebClient client;
    private final MeridianConfig config;
    private final Handovers handovers;
    private final Map<String, RegionCircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Duration timeout;

    public RegionClient(Vertx vertx, MeridianConfig config, Handovers handovers, WallClock wall) {
        this.wall = wall;
        this.handovers = handovers;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(60)
                        .setTcpNoDelay(true)
                        .setMaxPoolSize(config.forwarding().connectionsPerRegion()));
        this.config = config;
        this.timeout = config.forwarding().timeout();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** The internal read header carrying the version a session token requires of the answer. */
    public static final String REQUIRE_HEADER = "Meridian-Require-Version";

    /** A value read from its home region. */
    public record Fetched(StoredValue value, long remainingTtlMillis) {}

    /** Forwards a write to the key's home region; never retried (a retry would write a second version). */
    public Uni<WriteResult> put(
            String region, String ns, String key, byte[] body, String type, Duration ttl, WriteConditions conditions) {
        HttpRequest<Buffer> request = request(region, io.vertx.core.http.HttpMethod.PUT, ns, key)
                .addQueryParam("ttlMs", Long.toString(ttl.toMillis()))
                .putHeader("Content-Type", type)
                .putHeader(EPOCHS_HEADER, encodeEpochs(handovers.epochs()));
        ConditionHeaders.headersOf(conditions).forEach(request::putHeader);
        return guarded(region, request.sendBuffer(Buffer.buffer(body)), 0, true).map(RegionClient::writeResult);
    }

    /**
     * Forwards a delete to the key's home region; an unconditional one is retried, as deleting twice is harmless (a
     * conditional one is not: its second attempt could fail the condition the first one met).
     */
    public Uni<WriteResult> delete(String region, String ns, String key, WriteConditions conditions) {
        HttpRequest<Buffer> request = request(region, io.vertx.core.http.HttpMethod.DELETE, ns, key)
                .putHeader(EPOCHS_HEADER, encodeEpochs(handovers.epochs()));
        ConditionHeaders.headersOf(conditions).forEach(request::putHeader);
        int retries = conditions.checksState() ? 0 : config.forwarding().retries();
        return guarded(region, request.send(), retries, true).map(RegionClient::writeResult);
    }

    /** @return the {@link #EPOCHS_HEADER} form of assignment epochs per region */
    public static String encodeEpochs(Map<String, Long> epochs) {
        StringBuilder text = new StringBuilder();
        epochs.forEach((region, epoch) -> text.append(text.length() == 0 ? "" : ",")
                .append(region)
                .append('=')
                .append(epoch));
        return text.toString();
    }

    /**
     * @param header an {@link #EPOCHS_HEADER} value, or null
     * @return the epochs it names; empty for null
     * @throws IllegalArgumentException when it is malformed
     */
    public static Map<String, Long> parseEpochs(String header) {
        Map<String, Long> epochs = new java.util.TreeMap<>();
        if (header == null || header.isBlank()) {
            return epochs;
        }
        for (String entry : header.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not region=epoch: '" + entry + "'");
            }
            epochs.put(
                    entry.substring(0, equals).trim(),
                    Long.parseLong(entry.substring(equals + 1).trim()));
        }
        return epochs;
    }

    /** Reads a key from its home region: empty when absent there; a tombstone when deleted there. */
    public Uni<Optional<Fetched>> fetch(String region, String ns, String key) {
        return fetch(region, ns, key, Optional.empty());
    }

    /**
     * Reads a key from its home, which must hold at least {@code atLeast} (a session token's requirement): a home that
     * holds less answers 503 {@code stale-home} rather than an older value.
     */
    public Uni<Optional<Fetched>> fetch(String region, String ns, String key, Optional<Version> atLeast) {
        HttpRequest<Buffer> request = request(region, io.vertx.core.http.HttpMethod.GET, ns, key);
        atLeast.ifPresent(version -> request.putHeader(REQUIRE_HEADER, version.toHex()));
        return guarded(region, request.send(), config.forwarding().retries(), false)
                .map(this::fetched);
    }

    private HttpRequest<Buffer> request(String region, io.vertx.core.http.HttpMethod method, String ns, String key) {
        String base = config.regions().get(region).gatewayUrl().orElseThrow(() -> unreachable(region, "no URL"));
        String url = base + "/internal/v1/namespaces/" + ns + "/keys/" + PathSegments.encode(key);
        return client.requestAbs(method, url)
                .putHeader(SECRET_HEADER, config.internalSecret().orElse(""))
                .timeout(timeout.toMillis());
    }

    private Uni<HttpResponse<Buffer>> guarded(
            String region, Uni<HttpResponse<Buffer>> call, int retries, boolean write) {
        RegionCircuitBreaker breaker = breaker(region);
        if (!breaker.allows()) {
            return Uni.createFrom().failure(unreachable(region, "circuit breaker open"));
        }
        Uni<HttpResponse<Buffer>> attempts =
                retries > 0 ? call.onFailure().retry().atMost(retries) : call;
        return attempts.onItemOrFailure()
                .transformToUni((response, failure) -> judged(region, breaker, response, failure, write, retries > 0));
    }

    private Uni<HttpResponse<Buffer>> judged(
            String region,
            RegionCircuitBreaker breaker,
            HttpResponse<Buffer> response,
            Throwable failure,
            boolean write,
            boolean retried) {
        if (failure == null && isPaused(response)) {
            // The home is alive and pauses the key (a handover, a cache being rebuilt, a copy behind the reader's
            // session): passed on as it is, not a breaker failure.
            breaker.succeeded();
            return Uni.createFrom().failure(relayed(response));
        }
        if (failure != null || response.statusCode() >= 500) {
            breaker.failed();
            String why = failure != null ? failure.getMessage() : "answered " + response.statusCode();
            // A write retried after a failure may have taken effect on an earlier attempt, whatever the last one says.
            if (write && (retried || mayHaveTakenEffect(response, failure))) {
                return Uni.createFrom()
                        .failure(GatewayFailure.outcomeUnknown(
                                "home-region-unreachable",
                                "the home region " + region + " did not answer the write (" + why
                                        + "); it may still take effect: re-read with the session token"));
            }
            return Uni.createFrom().failure(unreachable(region, why));
        }
        breaker.succeeded();
        return Uni.createFrom().item(response);
    }

    /**
     * Whether a forwarded write that failed may still take effect at the home: it was sent and no answer came back (a
     * timeout, a connection closed while waiting), or the home answered a 5xx other than a refusal before any work
     * (its event may be in the log). A connection that was never made, or such a refusal, means it did not.
     */
    static boolean mayHaveTakenEffect(HttpResponse<Buffer> response, Throwable failure) {
        if (failure != null) {
            return !(failure instanceof java.net.ConnectException);
        }
        try {
            JsonObject problem = response.bodyAsJsonObject();
            if (problem == null) {
                return true;
            }
            if ("unknown".equals(problem.getString("outcome"))) {
                return true;
            }
            String type = problem.getString("type", "");
            return !REFUSED_BEFORE_ANY_WORK.contains(type.substring(type.lastIndexOf('/') + 1));
        } catch (RuntimeException notJson) {
            return true;
        }
    }

    /** A home's 503s that are answered before the write is versioned or appended: it did not happen. */
    private static final java.util.Set<String> REFUSED_BEFORE_ANY_WORK = java.util.Set.of(
            "overloaded", "shed", "read-only", "draining", "recovering", "node-identity", "clock-offset");

    private RegionCircuitBreaker breaker(String region) {
        return breakers.computeIfAbsent(
                region,
                r -> new RegionCircuitBreaker(
                        config.forwarding().breakerFailures(),
                        config.forwarding().breakerOpenFor().toNanos(),
                        System::nanoTime));
    }

    private static WriteResult writeResult(HttpResponse<Buffer> response) {
        if (response.statusCode() != 200) {
            throw relayed(response);
        }
        JsonObject json = response.bodyAsJsonObject();
        return new WriteResult(
                json.getString("key"),
                json.getString("version"),
                json.getString("home"),
                json.getString("expiresAt"),
                json.getBoolean("buffered"));
    }

    private Optional<Fetched> fetched(HttpResponse<Buffer> response) {
        if (response.statusCode() == 404) {
            String tombstone = response.getHeader(TOMBSTONE_HEADER);
            return tombstone == null
                    ? Optional.empty()
                    : Optional.of(new Fetched(StoredValue.tombstone(Version.fromHex(tombstone)), 0));
        }
        if (response.statusCode() != 200) {
            throw relayed(response);
        }
        String etag = response.getHeader("ETag").replace("\"", "");
        String type = Optional.ofNullable(response.getHeader("Content-Type")).orElse("");
        byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
        long ttl = Long.parseLong(response.getHeader(REMAINING_TTL_HEADER));
        long expiresAt = wall.millis() + Math.max(1, ttl);
        return Optional.of(new Fetched(StoredValue.value(Version.fromHex(etag), type, body, expiresAt), ttl));
    }

    private static boolean isPaused(HttpResponse<Buffer> response) {
        if (response.statusCode() != 503) {
            return false;
        }
        try {
            JsonObject problem = response.bodyAsJsonObject();
            String type = problem == null ? "" : problem.getString("type", "");
            return type.endsWith("/draining") || type.endsWith("/recovering") || type.endsWith("/stale-home");
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** A 4xx (or a pause) from the home region, answered to the client as the home gave it. */
    private static GatewayFailure relayed(HttpResponse<Buffer> response) {
        JsonObject problem = response.bodyAsJsonObject();
        String type = problem == null ? "home-refused" : problem.getString("type", "home-refused");
        return new GatewayFailure(
                kindOf(response.statusCode()),
                type.substring(type.lastIndexOf('/') + 1),
                problem == null ? "the home region answered " + response.statusCode() : problem.getString("detail"),
                problem == null ? null : problem.getString("field"));
    }

    /** @return the kind of failure an answer of the internal API with this status reports (see {@code api.Statuses}) */
    static GatewayFailure.Kind kindOf(int status) {
        return switch (status) {
            case 403 -> GatewayFailure.Kind.FORBIDDEN;
            case 404 -> GatewayFailure.Kind.NOT_FOUND;
            case 409 -> GatewayFailure.Kind.CONFLICT;
            case 412 -> GatewayFailure.Kind.PRECONDITION_FAILED;
            case 413 -> GatewayFailure.Kind.TOO_LARGE;
            case 415 -> GatewayFailure.Kind.UNSUPPORTED;
            case 502 -> GatewayFailure.Kind.UPSTREAM_REJECTED;
            case 503 -> GatewayFailure.Kind.UNAVAILABLE;
            default -> status >= 500 ? GatewayFailure.Kind.UNAVAILABLE : GatewayFailure.Kind.INVALID;
        };
    }

    private static GatewayFailure unreachable(String region, String why) {
        return GatewayFailure.unavailable(
                "home-region-unreachable", "the home region " + region + " cannot be reached: " + why);
    }
}

package io.meridian.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.cache.ReadResult;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.routing.Consistency;
import io.meridian.gateway.routing.KeyRouter;
import io.meridian.gateway.session.SessionTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads many keys of one namespace in one request. Served by {@link KeysResource}: RESTEasy Reactive matches a path
 * prefix to one resource class, so every {@code /v1/namespaces/{ns}} endpoint lives in that one class.
 */
@ApplicationScoped
class MgetResource {

    private final KeyRouter router;
    private final SessionTokens tokens;
    private final Namespaces namespaces;
    private final RequestScope scope;
    private final ObjectMapper json;
    private final int maxKeys;

    public MgetResource(
            KeyRouter router,
            SessionTokens tokens,
            Namespaces namespaces,
            RequestScope scope,
            ObjectMapper json,
            MeridianConfig config) {
        this.router = router;
        this.tokens = tokens;
        this.namespaces = namespaces;
        this.scope = scope;
        this.json = json;
        this.maxKeys = config.mgetMaxKeys();
    }

    /** The request body. */
    public record MgetRequest(List<String> keys) {}

    /** The answer: found values by key, and the keys that are absent. */
    public record MgetResponse(Map<String, MgetValue> values, List<String> missing) {}

    /**
     * One found value. Text (text/*, JSON, XML) comes as a string with {@code encoding: utf-8}; anything else as
     * base64.
     */
    public record MgetValue(String value, String encoding, String contentType, String version, long ttlSeconds) {}

    public Uni<Response> mget(String ns, String contentType, String session, byte[] body) {
        return scope.answer(ns, "mget", () -> {
            namespaces.require(ns, NamespaceConfig.Type.KV);
            List<String> keys = parse(contentType, body);
            SessionToken token = tokens.parse(session);
            return router.getMany(ns, keys, token, Consistency.SESSION).map(routed -> answer(keys, routed, session));
        });
    }

    private Response answer(List<String> keys, List<KeyRouter.Routed<Optional<ReadResult>>> routed, String session) {
        SessionToken seen = SessionToken.EMPTY;
        List<Optional<ReadResult>> found = new ArrayList<>();
        for (KeyRouter.Routed<Optional<ReadResult>> read : routed) {
            seen = seen.merge(read.token());
            found.add(read.result());
        }
        Response.ResponseBuilder answer = Response.ok(answer(keys, found));
        if (session != null && !session.isBlank()) {
            answer.header(SessionTokens.HEADER, tokens.format(seen));
        }
        return answer.build();
    }

    private List<String> parse(String contentType, byte[] body) {
        if (!isJson(contentType)) {
            throw GatewayFailure.invalid(
                    Kind.UNSUPPORTED, "unsupported-media-type", "Content-Type", "keys:mget takes application/json");
        }
        JsonNode keys = readTree(body).get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw invalidKeys("keys", "a non-empty array of keys is required: {\"keys\":[\"k1\",\"k2\"]}");
        }
        if (keys.size() > maxKeys) {
            throw invalidKeys("keys", keys.size() + " keys asked for; at most " + maxKeys + " per request");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode key = keys.get(i);
            if (!key.isTextual()) {
                throw invalidKeys("keys[" + i + "]", "a key must be a string");
            }
            distinct.add(KeyRules.require(key.asText(), "keys[" + i + "]"));
        }
        return List.copyOf(distinct);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private JsonNode readTree(byte[] body) {
        try {
            JsonNode tree = body == null || body.length == 0 ? null : json.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw GatewayFailure.invalid(Kind.INVALID, "malformed-json", "body", "the body must be a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "malformed-json", "body", "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw GatewayFailure.invalid(Kind.INVALID, "malformed-json", "body", "unreadable body: " + e.getMessage());
        }
    }

    private static MgetResponse answer(List<String> keys, List<Optional<ReadResult>> found) {
        Map<String, MgetValue> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Optional<ReadResult> read = found.get(i);
            if (read.isPresent()) {
                values.put(keys.get(i), valueOf(read.get()));
            } else {
                missing.add(keys.get(i));
            }
        }
        return new MgetResponse(values, missing);
    }

    private static MgetValue valueOf(ReadResult read) {
        StoredValue value = read.value();
        boolean text = ValueEncoding.isText(value.contentType());
        return new MgetValue(
                text ? ValueEncoding.utf8(value.body()) : ValueEncoding.base64(value.body()),
                text ? "utf-8" : "base64",
                value.contentType(),
                value.version().toHex(),
                Math.max(0, read.remainingTtlMillis() / 1000));
    }

    private static GatewayFailure invalidKeys(String field, String detail) {
        return GatewayFailure.invalid(Kind.INVALID, "invalid-keys", field, detail);
    }
}

package io.meridian.gateway.api;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.cache.Namespaces;
import io.meridian.gateway.cache.ReadResult;
import io.meridian.gateway.cache.TtlPolicy;
import io.meridian.gateway.cache.WriteResult;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.routing.Consistency;
import io.meridian.gateway.routing.KeyRouter;
import io.meridian.gateway.session.SessionTokens;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The keys API: values stored under keys of a {@code kv} namespace. */
@Path("/v1/namespaces/{ns}")
@Tag(name = "keys", description = "Values under keys, written in the key's home region and read locally")
@APIResponse(
        responseCode = "400",
        description = "Bad input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "503",
        description = "Redis or Kafka unavailable, or the request timed out; carries Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class KeysResource {

    private static final String DEFAULT_CONTENT_TYPE = MediaType.APPLICATION_OCTET_STREAM;

    private final KeyRouter router;
    private final SessionTokens tokens;
    private final Namespaces namespaces;
    private final RequestScope scope;
    private final TtlPolicy ttlPolicy =
            new TtlPolicy(() -> ThreadLocalRandom.current().nextDouble());

    private final MgetResource mget;

    public KeysResource(
            KeyRouter router, SessionTokens tokens, Namespaces namespaces, RequestScope scope, MgetResource mget) {
        this.router = router;
        this.tokens = tokens;
        this.namespaces = namespaces;
        this.scope = scope;
        this.mget = mget;
    }

    @POST
    @Path("/keys:mget")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read many keys", description = "At most `meridian.mget-max-keys` keys (100 by default).")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = MgetResource.MgetRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "Found values and missing keys",
            content = @Content(schema = @Schema(implementation = MgetResource.MgetResponse.class)))
    @APIResponse(responseCode = "404", description = "Unknown namespace")
    @APIResponse(
            responseCode = "415",
            description = "Body not JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> mget(
            @PathParam("ns") String ns,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam(SessionTokens.HEADER) String session,
            byte[] body) {
        return mget.mget(ns, contentType, session, body);
    }

    @PUT
    @Path("/keys/{key: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Store a value",
            description =
                    "Executed in the key's home region. The body is stored as is,"
                            + " with its Content-Type. Every value has a TTL: `ttl` or the namespace default, at most its maximum.")
    @APIResponse(responseCode = "200", description = "Stored; `version` is also the `ETag` of later reads")
    @APIResponse(responseCode = "404", description = "Unknown namespace")
    @APIResponse(responseCode = "413", description = "Value over the namespace's size limit")
    @APIResponse(responseCode = "415", description = "Content-Type not storable (over 255 characters or not ASCII)")
    public Uni<Response> put(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @Parameter(description = "Time to live: 90s, 500ms, 5m, 1h, 2d, seconds, or ISO-8601") @QueryParam("ttl")
                    String ttl,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam(SessionTokens.HEADER) String session,
            byte[] body) {
        return scope.write(ns, "put", () -> {
            SessionToken token = tokens.parse(session);
            NamespaceConfig namespace = namespaces.require(ns, NamespaceConfig.Type.KV);
            KeyRules.require(key, "key");
            Duration resolvedTtl = ttlPolicy.resolve(ttl, namespace);
            byte[] value = body == null ? new byte[0] : body;
            requireSize(value, namespace);
            return router.put(ns, key, value, storableContentType(contentType), resolvedTtl, token)
                    .map(this::written);
        });
    }

    @GET
    @Path("/keys/{key: .+}")
    @Produces(MediaType.WILDCARD)
    @Operation(
            summary = "Read a value",
            description = "Answers the body as stored, with its Content-Type, `ETag`,"
                    + " `Meridian-Home`, `Meridian-Source`, `Age` and `Cache-Control: max-age`.")
    @APIResponse(responseCode = "200", description = "The value")
    @APIResponse(responseCode = "304", description = "`If-None-Match` matched the current version")
    @APIResponse(
            responseCode = "404",
            description = "Absent, expired or deleted key, or unknown namespace",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> get(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @Parameter(description = "Session token from an earlier answer: read your writes, monotonic reads")
                    @HeaderParam(SessionTokens.HEADER)
                    String session,
            @Parameter(
                            description = "`session` (default) or `eventual`: take a stale local copy when the home is"
                                    + " unreachable")
                    @HeaderParam(Consistency.HEADER)
                    String consistency) {
        return scope.answer(ns, "get", () -> {
            namespaces.require(ns, NamespaceConfig.Type.KV);
            KeyRules.require(key, "key");
            SessionToken token = tokens.parse(session);
            Consistency level = Consistency.parse(consistency);
            return router.get(ns, key, token, level)
                    .map(routed -> withToken(readAnswer(ns, key, routed.result(), ifNoneMatch), session, routed));
        });
    }

    @DELETE
    @Path("/keys/{key: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Delete a value",
            description = "Leaves a tombstone carrying the delete's version in every"
                    + " region, so that no older copy can come back. Idempotent.")
    @APIResponse(responseCode = "200", description = "Deleted (or already absent)")
    public Uni<Response> delete(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @HeaderParam(SessionTokens.HEADER) String session) {
        return scope.write(ns, "delete", () -> {
            namespaces.require(ns, NamespaceConfig.Type.KV);
            KeyRules.require(key, "key");
            SessionToken token = tokens.parse(session);
            return router.delete(ns, key, token).map(this::written);
        });
    }

    @PUT
    @Path("/keys")
    @Operation(hidden = true)
    public Response putWithoutKey(@PathParam("ns") String ns) {
        throw emptyKey();
    }

    @GET
    @Path("/keys")
    @Operation(hidden = true)
    public Response getWithoutKey(@PathParam("ns") String ns) {
        throw emptyKey();
    }

    @DELETE
    @Path("/keys")
    @Operation(hidden = true)
    public Response deleteWithoutKey(@PathParam("ns") String ns) {
        throw emptyKey();
    }

    private static MeridianException emptyKey() {
        return MeridianException.invalid(400, "invalid-key", "key", "a key must not be empty");
    }

    private Response written(KeyRouter.Routed<WriteResult> routed) {
        WriteResult result = routed.result();
        return Response.ok(result)
                .header("ETag", Etags.of(result.version()))
                .header("Meridian-Home", result.home())
                .header(SessionTokens.HEADER, tokens.format(routed.token()))
                .build();
    }

    /** A read answers a token only to a client that sent one. */
    private Response withToken(Response answer, String sent, KeyRouter.Routed<?> routed) {
        if (sent == null || sent.isBlank()) {
            return answer;
        }
        answer.getHeaders().putSingle(SessionTokens.HEADER, tokens.format(routed.token()));
        return answer;
    }

    private static Response readAnswer(String ns, String key, Optional<ReadResult> found, String ifNoneMatch) {
        if (found.isEmpty()) {
            // Answered, not thrown, so that the client's updated session token still comes back with the 404.
            Problem missing = new Problem(
                    Problem.TYPE_BASE + "key-not-found",
                    "Not found",
                    404,
                    "no value for key '" + key + "' in namespace " + ns,
                    null);
            return Response.status(404).type(Problem.MEDIA_TYPE).entity(missing).build();
        }
        ReadResult read = found.get();
        StoredValue value = read.value();
        String etag = Etags.of(value.version().toHex());
        Response.ResponseBuilder answer =
                Etags.matches(ifNoneMatch, value.version().toHex())
                        ? Response.notModified()
                        : Response.ok(value.body(), contentTypeOf(value));
        long ageSeconds =
                Math.max(0, (System.currentTimeMillis() - value.version().wallMillis()) / 1000);
        return answer.header("ETag", etag)
                .header("Meridian-Home", read.home())
                .header("Meridian-Source", read.source())
                .header("Age", ageSeconds)
                .header("Cache-Control", "max-age=" + Math.max(0, read.remainingTtlMillis() / 1000))
                .build();
    }

    private static String contentTypeOf(StoredValue value) {
        return value.contentType().isEmpty() ? DEFAULT_CONTENT_TYPE : value.contentType();
    }

    private static void requireSize(byte[] value, NamespaceConfig namespace) {
        if (value.length > namespace.maxValueBytes()) {
            throw MeridianException.invalid(
                    413,
                    "value-too-large",
                    "body",
                    "the value has " + value.length + " bytes; this namespace takes at most "
                            + namespace.maxValueBytes());
        }
    }

    private static String storableContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return DEFAULT_CONTENT_TYPE;
        }
        if (contentType.length() > StoredValue.MAX_CONTENT_TYPE
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(contentType)) {
            throw MeridianException.invalid(
                    415,
                    "unsupported-content-type",
                    "Content-Type",
                    "a Content-Type is stored as at most " + StoredValue.MAX_CONTENT_TYPE + " ASCII characters");
        }
        return contentType;
    }
}

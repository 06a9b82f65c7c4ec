package io.meridian.gateway.api;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.cache.ReadResult;
import io.meridian.gateway.cache.WriteResult;
import io.meridian.gateway.conditions.ConditionHeaders;
import io.meridian.gateway.conditions.FillLeases;
import io.meridian.gateway.conditions.WriteConditions;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.config.TtlPolicy;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.purge.Purges;
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

/**
 * The keys API: values stored under keys of a {@code kv} namespace.
 *
 * <p>Over 300 lines because it is the keys API's one JAX-RS resource: each endpoint's OpenAPI annotations, headers and
 * input checks are spelled out here, and the work they hand on lives in {@code routing.KeyRouter}.
 */
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
class KeysResource {

    private final WallClock wall;

    private static final String DEFAULT_CONTENT_TYPE = MediaType.APPLICATION_OCTET_STREAM;

    /**
     * On a write's answer: Kafka could not take the event, and the home region keeps it in its event buffer until
     * Kafka returns (namespaces with {@code kafka-outage-policy=buffer}).
     */
    public static final String BUFFERED_HEADER = "Meridian-Buffered";

    private final KeyRouter router;
    private final SessionTokens tokens;
    private final Namespaces namespaces;
    private final RequestScope scope;
    private final TtlPolicy ttlPolicy =
            new TtlPolicy(() -> ThreadLocalRandom.current().nextDouble());

    private final MgetResource mget;
    private final ConditionHeaders conditionHeaders;
    private final FillLeases leases;
    private final Purges purges;

    public KeysResource(
            KeyRouter router,
            SessionTokens tokens,
            Namespaces namespaces,
            RequestScope scope,
            MgetResource mget,
            ConditionHeaders conditionHeaders,
            FillLeases leases,
            Purges purges,
            WallClock wall) {
        this.wall = wall;
        this.router = router;
        this.tokens = tokens;
        this.namespaces = namespaces;
        this.scope = scope;
        this.mget = mget;
        this.conditionHeaders = conditionHeaders;
        this.leases = leases;
        this.purges = purges;
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
    @APIResponse(
            responseCode = "200",
            description = "Stored; `version` is also the `ETag` of later reads. With `Meridian-Buffered: true` (and"
                    + " `buffered` in the body): Kafka was unavailable and the namespace's `kafka-outage-policy` is"
                    + " `buffer`; the home region relays the event to Kafka when it returns")
    @APIResponse(responseCode = "404", description = "Unknown namespace")
    @APIResponse(
            responseCode = "409",
            description = "`Meridian-Lease`: the key changed since the lease was issued, or the lease expired;"
                    + " `Meridian-External-Version`: older than the stored one; or another conditional write of the"
                    + " key is under way. Nothing was written.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "412",
            description = "`If-Match` or `If-None-Match: *` did not hold. Nothing was written.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Value over the namespace's size limit")
    @APIResponse(responseCode = "415", description = "Content-Type not storable (over 255 characters or not ASCII)")
    @APIResponse(
            responseCode = "502",
            description = "Write-through namespace: the origin refused the write. Nothing was cached.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> put(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @Parameter(description = "Time to live: 90s, 500ms, 5m, 1h, 2d, seconds, or ISO-8601") @QueryParam("ttl")
                    String ttl,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam(SessionTokens.HEADER) String session,
            @Parameter(description = "Write only if the current value's version is this entity tag (else 412)")
                    @HeaderParam("If-Match")
                    String ifMatch,
            @Parameter(description = "`*`: write only if the key holds no value (else 412)")
                    @HeaderParam("If-None-Match")
                    String ifNoneMatch,
            @Parameter(
                            description = "Fill lease from a miss: write only if the key was not written or deleted"
                                    + " since (else 409)")
                    @HeaderParam(WriteConditions.LEASE_HEADER)
                    String lease,
            @Parameter(
                            description = "The application's own version of this data (an integer): refused with 409"
                                    + " when older than the stored one")
                    @HeaderParam(WriteConditions.EXTERNAL_VERSION_HEADER)
                    String externalVersion,
            byte[] body) {
        return scope.write(ns, "put", () -> {
            SessionToken token = tokens.parse(session);
            NamespaceConfig namespace = namespaces.require(ns, NamespaceConfig.Type.KV);
            KeyRules.require(key, "key");
            Duration resolvedTtl = ttlPolicy.resolve(ttl, namespace);
            byte[] value = body == null ? new byte[0] : body;
            requireSize(value, namespace);
            String type = storableContentType(contentType);
            WriteConditions conditions = conditionHeaders.parse(ns, key, ifMatch, ifNoneMatch, lease, externalVersion);
            return router.put(ns, key, value, type, resolvedTtl, conditions, token)
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
            description = "Absent, expired or deleted key, or unknown namespace. A miss may carry a fill lease in"
                    + " `Meridian-Lease` (at most one per key per region per lease period): write the value loaded"
                    + " from the database with it.",
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
                    .chain(routed -> withLease(ns, key, routed))
                    .map(routed -> withToken(
                            readAnswer(ns, key, routed.read().result(), ifNoneMatch, routed.lease()),
                            session,
                            routed.read()));
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
    @APIResponse(
            responseCode = "409",
            description = "`Meridian-External-Version` older than the stored one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "412",
            description = "`If-Match` did not hold",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @HeaderParam(SessionTokens.HEADER) String session,
            @Parameter(description = "Delete only if the current value's version is this entity tag (else 412)")
                    @HeaderParam("If-Match")
                    String ifMatch,
            @Parameter(
                            description = "The application's version of the deleted row: a later write with an older"
                                    + " or equal external version is refused")
                    @HeaderParam(WriteConditions.EXTERNAL_VERSION_HEADER)
                    String externalVersion) {
        return scope.write(ns, "delete", () -> {
            namespaces.require(ns, NamespaceConfig.Type.KV);
            KeyRules.require(key, "key");
            SessionToken token = tokens.parse(session);
            WriteConditions conditions = conditionHeaders.parse(ns, key, ifMatch, null, null, externalVersion);
            return router.delete(ns, key, conditions, token).map(this::written);
        });
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Purge a namespace",
            description = "Every key of the namespace written before the purge reads as absent, in every region,"
                    + " within the replication lag. O(1): a purge version is recorded, no key is scanned on the"
                    + " request path; a background sweep reclaims the memory. Repeating it is harmless.")
    @APIResponse(
            responseCode = "202",
            description = "Purge recorded here and in the log; `version` is the purge's version",
            content = @Content(schema = @Schema(implementation = PurgeResult.class)))
    public Uni<Response> purge(@PathParam("ns") String ns) {
        return scope.write(ns, "purge", () -> {
            namespaces.require(ns, NamespaceConfig.Type.KV);
            return purges.purge(java.util.List.of(ns), "")
                    .map(version -> Response.accepted(new PurgeResult(java.util.List.of(ns), null, version.toHex()))
                            .build());
        });
    }

    /** The answer to a purge. */
    public record PurgeResult(java.util.List<String> namespaces, String owner, String version) {}

    /** A read's answer and, for a miss, the fill lease handed out with it. */
    private record LeasedRead(KeyRouter.Routed<Optional<ReadResult>> read, Optional<String> lease) {}

    private Uni<LeasedRead> withLease(String ns, String key, KeyRouter.Routed<Optional<ReadResult>> read) {
        if (read.result().isPresent() || namespaces.all().get(ns).fillLeaseTtl().isZero()) {
            return Uni.createFrom().item(new LeasedRead(read, Optional.empty()));
        }
        return router.missBase(ns, key)
                .chain(base -> leases.issue(ns, key, base))
                .onFailure()
                .recoverWithItem(Optional.empty())
                .map(lease -> new LeasedRead(read, lease));
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

    private static GatewayFailure emptyKey() {
        return GatewayFailure.invalid(Kind.INVALID, "invalid-key", "key", "a key must not be empty");
    }

    private Response written(KeyRouter.Routed<WriteResult> routed) {
        WriteResult result = routed.result();
        Response.ResponseBuilder answer = Response.ok(result)
                .header("ETag", Etags.of(result.version()))
                .header("Meridian-Home", result.home())
                .header(SessionTokens.HEADER, tokens.format(routed.token()));
        if (Boolean.TRUE.equals(result.buffered())) {
            answer.header(BUFFERED_HEADER, "true");
        }
        return answer.build();
    }

    /** A read answers a token only to a client that sent one. */
    private Response withToken(Response answer, String sent, KeyRouter.Routed<?> routed) {
        if (sent == null || sent.isBlank()) {
            return answer;
        }
        answer.getHeaders().putSingle(SessionTokens.HEADER, tokens.format(routed.token()));
        return answer;
    }

    private Response readAnswer(
            String ns, String key, Optional<ReadResult> found, String ifNoneMatch, Optional<String> lease) {
        if (found.isEmpty()) {
            // Answered, not thrown, so that the client's updated session token still comes back with the 404.
            Problem missing = new Problem(
                    Problem.TYPE_BASE + "key-not-found",
                    "Not found",
                    404,
                    "no value for key '" + key + "' in namespace " + ns,
                    null);
            Response.ResponseBuilder answer =
                    Response.status(404).type(Problem.MEDIA_TYPE).entity(missing);
            lease.ifPresent(token -> answer.header(WriteConditions.LEASE_HEADER, token));
            return answer.build();
        }
        ReadResult read = found.get();
        StoredValue value = read.value();
        String etag = Etags.of(value.version().toHex());
        Response.ResponseBuilder answer =
                Etags.matches(ifNoneMatch, value.version().toHex())
                        ? Response.notModified()
                        : Response.ok(value.body(), contentTypeOf(value));
        long ageSeconds = Math.max(0, (wall.millis() - value.version().wallMillis()) / 1000);
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
            throw GatewayFailure.invalid(
                    Kind.TOO_LARGE,
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
            throw GatewayFailure.invalid(
                    Kind.UNSUPPORTED,
                    "unsupported-content-type",
                    "Content-Type",
                    "a Content-Type is stored as at most " + StoredValue.MAX_CONTENT_TYPE + " ASCII characters");
        }
        return contentType;
    }
}

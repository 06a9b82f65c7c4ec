package io.meridian.gateway.api;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.gateway.cache.KeyCache;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.conditions.ConditionHeaders;
import io.meridian.gateway.conditions.WriteConditions;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.origin.OriginReadThrough;
import io.meridian.gateway.routing.RegionClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The inter-region API, called by other regions' gateways only (authenticated by the shared secret): writes forwarded
 * to this region as the key's home, and reads of a key's value with its version and remaining TTL for remote fills.
 * Requests here are executed locally, never forwarded again, so a disagreement about a key's home cannot loop.
 */
@Path("/internal/v1/namespaces/{ns}")
public class InternalResource {

    private final KeyCache cache;
    private final Namespaces namespaces;
    private final RequestScope scope;
    private final OriginReadThrough origins;
    private final ConditionHeaders conditionHeaders;
    private final io.meridian.gateway.routing.HomeRegions homes;
    private final InternalSecret secret;

    public InternalResource(
            KeyCache cache,
            Namespaces namespaces,
            RequestScope scope,
            OriginReadThrough origins,
            ConditionHeaders conditionHeaders,
            io.meridian.gateway.routing.HomeRegions homes,
            InternalSecret secret) {
        this.homes = homes;
        this.conditionHeaders = conditionHeaders;
        this.origins = origins;
        this.cache = cache;
        this.namespaces = namespaces;
        this.scope = scope;
        this.secret = secret;
    }

    @PUT
    @Path("/keys/{key: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> put(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @QueryParam("ttlMs") long ttlMillis,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam(RegionClient.SECRET_HEADER) String presented,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam(WriteConditions.LEASE_HEADER) String lease,
            @HeaderParam(WriteConditions.EXTERNAL_VERSION_HEADER) String externalVersion,
            @HeaderParam(RegionClient.EPOCHS_HEADER) String epochs,
            byte[] body) {
        return scope.write(ns, "forwarded_put", () -> {
            authenticate(presented);
            requireKnownKey(ns, key);
            WriteConditions conditions = conditionHeaders.parse(ns, key, ifMatch, ifNoneMatch, lease, externalVersion);
            if (ttlMillis <= 0) {
                throw GatewayFailure.invalid(
                        Kind.INVALID, "invalid-ttl", "ttl", "a forwarded write needs a positive TTL");
            }
            byte[] value = body == null ? new byte[0] : body;
            String type = contentType == null ? MediaType.APPLICATION_OCTET_STREAM : contentType;
            return homes.writeHomeOf(ns, key, true, epochsOf(epochs))
                    .chain(home -> cache.put(ns, key, value, type, Duration.ofMillis(ttlMillis), conditions))
                    .map(result -> Response.ok(result).build());
        });
    }

    @DELETE
    @Path("/keys/{key: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> delete(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @HeaderParam(RegionClient.SECRET_HEADER) String presented,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(WriteConditions.LEASE_HEADER) String lease,
            @HeaderParam(WriteConditions.EXTERNAL_VERSION_HEADER) String externalVersion,
            @HeaderParam(RegionClient.EPOCHS_HEADER) String epochs) {
        return scope.write(ns, "forwarded_delete", () -> {
            authenticate(presented);
            requireKnownKey(ns, key);
            WriteConditions conditions = conditionHeaders.parse(ns, key, ifMatch, null, lease, externalVersion);
            return homes.writeHomeOf(ns, key, true, epochsOf(epochs))
                    .chain(home -> cache.delete(ns, key, conditions))
                    .map(result -> Response.ok(result).build());
        });
    }

    @GET
    @Path("/keys/{key: .+}")
    @Produces(MediaType.WILDCARD)
    @Operation(hidden = true)
    public Uni<Response> read(
            @PathParam("ns") String ns,
            @PathParam("key") String key,
            @HeaderParam(RegionClient.SECRET_HEADER) String presented,
            @HeaderParam(RegionClient.REQUIRE_HEADER) String atLeast) {
        return scope.answer(ns, "home_read", () -> {
            authenticate(presented);
            requireKnownKey(ns, key);
            java.util.Optional<io.meridian.coherence.version.Version> required = requiredVersion(atLeast);
            return homes.naturalHomeOf(ns, key)
                    .invoke(natural -> {
                        if (homes.rebuildingCache()) {
                            throw io.meridian.gateway.routing.CacheRecoveryView.refusal();
                        }
                        if (!homes.mayAnswerOwnKeys(ns) && natural.equals(homes.self())) {
                            throw io.meridian.gateway.routing.HomeRegions.recovering();
                        }
                    })
                    .chain(natural -> cache.read(ns, key))
                    .chain(homes::confirmOwnCopy)
                    .chain(entry -> readThrough(ns, key, entry))
                    .invoke(entry -> required.ifPresent(version -> {
                        if (entry.value() == null || entry.value().version().compareTo(version) < 0) {
                            throw GatewayFailure.unavailable(
                                    "stale-home",
                                    "this region holds "
                                            + (entry.value() == null
                                                    ? "no version"
                                                    : entry.value().version().toHex())
                                            + " of the key; the reader's session has seen " + version.toHex());
                        }
                    }))
                    .map(InternalResource::answer);
        });
    }

    private static java.util.Optional<io.meridian.coherence.version.Version> requiredVersion(String header) {
        if (header == null || header.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(io.meridian.coherence.version.Version.fromHex(header.trim()));
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-header", RegionClient.REQUIRE_HEADER, "not a version: " + e.getMessage());
        }
    }

    /**
     * A namespace with an origin loads a missing key here, in its home. A stale answer (origin down) is not passed
     * on: the other region answers from its own copy if its reader allows stale data.
     */
    private Uni<StoredEntry> readThrough(String ns, String key, StoredEntry entry) {
        if (entry.isLive() || !origins.hasOrigin(ns)) {
            return Uni.createFrom().item(entry);
        }
        return origins.load(ns, key, entry).map(loaded -> {
            if (loaded.source() == OriginReadThrough.Source.STALE) {
                throw GatewayFailure.unavailable(
                        "origin-unavailable", "the origin failed and only a stale value is at hand");
            }
            return loaded.entry();
        });
    }

    private static Response answer(StoredEntry entry) {
        if (entry.value() == null) {
            return Response.status(404).build();
        }
        String version = entry.value().version().toHex();
        if (!entry.isLive()) {
            return Response.status(404)
                    .header(RegionClient.TOMBSTONE_HEADER, version)
                    .build();
        }
        String type = entry.value().contentType().isEmpty()
                ? MediaType.APPLICATION_OCTET_STREAM
                : entry.value().contentType();
        return Response.ok(entry.value().body(), type)
                .header("ETag", Etags.of(version))
                .header(RegionClient.REMAINING_TTL_HEADER, entry.remainingTtlMillis())
                .build();
    }

    private void requireKnownKey(String ns, String key) {
        if (!ns.equals(io.meridian.gateway.routing.HomeRegions.OWNER_NAMESPACE)) {
            namespaces.require(ns, io.meridian.gateway.config.NamespaceConfig.Type.KV);
        }
        KeyRules.require(key, "key");
    }

    private void authenticate(String presented) {
        secret.check(presented);
    }

    private static java.util.Map<String, Long> epochsOf(String header) {
        try {
            return RegionClient.parseEpochs(header);
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(Kind.INVALID, "invalid-header", RegionClient.EPOCHS_HEADER, e.getMessage());
        }
    }
}

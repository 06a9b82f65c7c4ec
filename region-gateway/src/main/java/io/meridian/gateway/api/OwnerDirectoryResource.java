package io.meridian.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meridian.coherence.session.SessionToken;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.routing.Consistency;
import io.meridian.gateway.routing.HomeRegions;
import io.meridian.gateway.routing.KeyRouter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The owner directory (admin): which region is the home of an owner's keys in {@code owner}-placed namespaces (users
 * are homed where they signed up). Entries are ordinary Meridian data in the {@value HomeRegions#OWNER_NAMESPACE}
 * namespace: written in their own home region, replicated and versioned like any value.
 */
@Path("/v1/admin/owners/{owner}")
@Tag(name = "admin")
class OwnerDirectoryResource {

    private final KeyRouter router;
    private final HomeRegions homes;
    private final Regions regions;
    private final RequestScope scope;
    private final Duration entryTtl;

    public OwnerDirectoryResource(
            KeyRouter router, HomeRegions homes, Regions regions, RequestScope scope, MeridianConfig config) {
        this.router = router;
        this.homes = homes;
        this.regions = regions;
        this.scope = scope;
        this.entryTtl = config.ownerEntryTtl();
    }

    /** The request body: the owner's home region. */
    public record OwnerHome(String region) {}

    /** An entry of the directory. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerEntry(String owner, String region, String version) {}

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Set an owner's home region",
            description = "Later writes of the owner's keys in owner-placed"
                    + " namespaces go to that region. Other regions see the change within the owner cache TTL.")
    public Uni<Response> set(@PathParam("owner") String owner, OwnerHome home) {
        return scope.answer(HomeRegions.OWNER_NAMESPACE, "owner_put", () -> {
            KeyRules.require(owner, "owner");
            String region = requireRegion(home);
            byte[] body = region.getBytes(StandardCharsets.UTF_8);
            return router.put(
                            HomeRegions.OWNER_NAMESPACE,
                            owner,
                            body,
                            "text/plain",
                            entryTtl,
                            io.meridian.gateway.conditions.WriteConditions.NONE,
                            SessionToken.EMPTY)
                    .invoke(() -> homes.forgetOwner(owner))
                    .map(routed -> Response.ok(new OwnerEntry(
                                    owner, region, routed.result().version()))
                            .build());
        });
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read an owner's home region")
    public Uni<Response> get(@PathParam("owner") String owner) {
        return scope.answer(HomeRegions.OWNER_NAMESPACE, "owner_get", () -> {
            KeyRules.require(owner, "owner");
            return router.get(HomeRegions.OWNER_NAMESPACE, owner, SessionToken.EMPTY, Consistency.EVENTUAL)
                    .map(routed -> routed.result()
                            .map(read -> Response.ok(new OwnerEntry(
                                            owner,
                                            new String(read.value().body(), StandardCharsets.UTF_8),
                                            read.value().version().toHex()))
                                    .build())
                            .orElseThrow(() -> GatewayFailure.notFound(
                                    "owner-not-found", "no home region recorded for owner '" + owner + "'")));
        });
    }

    private String requireRegion(OwnerHome home) {
        if (home == null || home.region() == null || !regions.names().contains(home.region())) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "unknown-region", "region", "region must be one of " + regions.names());
        }
        return home.region();
    }
}

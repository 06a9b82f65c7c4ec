package io.meridian.gateway.api;

import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.purge.Purges;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Purges everything of one owner (account suspended, a data-deletion request) in every region at once. */
@Path("/v1/owners")
@Tag(name = "purges", description = "Purges of a namespace or of one owner's keys, in every region")
class OwnerPurgeResource {

    private final Namespaces namespaces;
    private final Purges purges;
    private final RequestScope scope;

    public OwnerPurgeResource(Namespaces namespaces, Purges purges, RequestScope scope) {
        this.namespaces = namespaces;
        this.purges = purges;
        this.scope = scope;
    }

    @DELETE
    @Path("/{owner}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Purge an owner's keys",
            description = "Every key of the owner (the first `:`-separated segment of the key) in every owner-placed"
                    + " namespace written before the purge reads as absent, in every region, within the replication"
                    + " lag; other owners' keys are untouched. O(1) on the request path; a background sweep reclaims"
                    + " the memory. Repeating it is harmless.")
    @APIResponse(
            responseCode = "202",
            description = "Purge recorded here and in the log",
            content = @Content(schema = @Schema(implementation = KeysResource.PurgeResult.class)))
    @APIResponse(
            responseCode = "404",
            description = "No namespace is owner-placed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> purge(@PathParam("owner") String owner) {
        return scope.write("_owners", "owner_purge", () -> {
            KeyRules.require(owner, "owner");
            if (owner.contains(":")) {
                throw GatewayFailure.invalid(
                        Kind.INVALID, "invalid-owner", "owner", "an owner is the part of a key before its first ':'");
            }
            List<String> ownerPlaced = namespaces.all().keySet().stream()
                    .filter(namespaces::ownerPlaced)
                    .sorted()
                    .toList();
            if (ownerPlaced.isEmpty()) {
                throw GatewayFailure.notFound("no-owner-namespaces", "no namespace is placed by owner");
            }
            return purges.purge(ownerPlaced, owner)
                    .map(version -> Response.accepted(new KeysResource.PurgeResult(ownerPlaced, owner, version.toHex()))
                            .build());
        });
    }
}

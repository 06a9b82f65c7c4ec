package io.meridian.gateway.api;

import io.meridian.gateway.routing.RegionClient;
import io.meridian.gateway.routing.RegionHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The probe other regions' gateways send for automatic failover: answering at all means this region is up. */
@Path("/internal/v1/homing")
class InternalHomingResource {

    private final RegionHealth health;
    private final InternalSecret secret;

    public InternalHomingResource(RegionHealth health, InternalSecret secret) {
        this.health = health;
        this.secret = secret;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public String homing(@HeaderParam(RegionClient.SECRET_HEADER) String presented) {
        secret.check(presented);
        return health.describe().encode();
    }
}

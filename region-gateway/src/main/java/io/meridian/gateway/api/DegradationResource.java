package io.meridian.gateway.api;

import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pins this gateway's degradation level by hand (a drill, a known incident) and releases it. */
@Path("/v1/admin/degradation")
@Tag(name = "admin", description = "Operator controls")
class DegradationResource {

    private final Degradation degradation;

    public DegradationResource(Degradation degradation) {
        this.degradation = degradation;
    }

    /** The level, whether it is pinned, and what it switches off. */
    public record DegradationState(String level, boolean pinned, List<String> switchedOff) {}

    /** The body of a pin. */
    public record Pin(String level) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This gateway's degradation level")
    public DegradationState get() {
        return state(degradation);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pin the degradation level", description = "Until released, whatever the measurements say.")
    public DegradationState pin(Pin pin) {
        if (pin == null || pin.level() == null) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-level", "level", "a level is required: {\"level\":\"WARNING\"}");
        }
        try {
            degradation.pin(Level.valueOf(pin.level().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-level", "level", "one of NORMAL, ADVISORY, WARNING, CRITICAL, SURVIVAL");
        }
        return state(degradation);
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Release a pinned level", description = "The measurements decide the level again.")
    public DegradationState release() {
        degradation.release();
        return state(degradation);
    }

    static DegradationState state(Degradation degradation) {
        return new DegradationState(
                degradation.level().name(),
                degradation.pinned().isPresent(),
                degradation.level().switchedOff().stream()
                        .map(feature -> feature.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .sorted()
                        .toList());
    }
}

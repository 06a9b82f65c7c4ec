package io.meridian.gateway.api;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.routing.Handovers;
import io.meridian.gateway.routing.RegionHealth;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Handover states of home regions in this region, as {@code ./meridian region drain|failover|failback} drives them
 * (see {@link Handovers}). The command sets the same state in every region; one region's answer says what this
 * region believes.
 */
@Path("/v1/admin/handovers")
@Tag(name = "admin", description = "Operator controls")
class HandoverResource {

    private final Handovers handovers;
    private final RegionHealth health;
    private final Regions regions;
    private final HybridLogicalClock clock;

    public HandoverResource(Handovers handovers, RegionHealth health, Regions regions, HybridLogicalClock clock) {
        this.handovers = handovers;
        this.health = health;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * What this region believes.
     *
     * @param states per region with a handover under way: draining, moved or returning
     * @param down the regions this gateway's failover probes find down
     * @param caughtUp whether this region answers for its own keys (false while it catches up after a restart)
     * @param hlc this gateway's clock now: every version it wrote so far is older
     * @param epochs per read-write region, the epoch of its assignment here (see {@code HomeAssignment})
     */
    public record HandoverState(
            String region,
            Map<String, String> states,
            List<String> down,
            boolean caughtUp,
            long hlc,
            Map<String, Long> epochs) {}

    /**
     * The body of a state change.
     *
     * @param state draining, moved or returning
     * @param epoch the change's epoch, the same in every region; omitted: one more than this region holds
     * @param fence partition → end offset of the region's event log that the next regions apply before they take its
     *     keys' writes; omitted: none
     */
    public record Change(String state, Long epoch, Map<Integer, Long> fence) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Handover states, regions found down, and this gateway's clock")
    public HandoverState get() {
        return state();
    }

    @PUT
    @Path("/{region}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Set a region's handover state in this region",
            description = "draining: its keys' writes are refused; moved: they go to each key's next region; "
                    + "returning: still moved, but refused while the region catches up")
    public Uni<HandoverState> set(@PathParam("region") String region, Change change) {
        if (change == null || change.state() == null) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-state", "state", "a state is required: {\"state\":\"draining\"}");
        }
        io.meridian.coherence.routing.HandoverState state;
        try {
            state = io.meridian.coherence.routing.HandoverState.valueOf(
                    change.state().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(Kind.INVALID, "invalid-state", "state", "one of draining, moved, returning");
        }
        requireHomeable(region);
        Map<Integer, Long> fence = change.fence() == null ? Map.of() : change.fence();
        if (fence.entrySet().stream()
                .anyMatch(end ->
                        end.getKey() == null || end.getKey() < 0 || end.getValue() == null || end.getValue() < 0)) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-fence", "fence", "partitions and end offsets of at least 0: {\"0\": 1234}");
        }
        return handovers.set(region, state, epochOf(change.epoch()), fence).map(ignored -> state());
    }

    @DELETE
    @Path("/{region}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Clear a region's handover state in this region: it homes its keys again")
    public Uni<HandoverState> clear(@PathParam("region") String region, @QueryParam("epoch") Long epoch) {
        requireHomeable(region);
        return handovers.clear(region, epochOf(epoch)).map(ignored -> state());
    }

    private static OptionalLong epochOf(Long epoch) {
        if (epoch == null) {
            return OptionalLong.empty();
        }
        if (epoch < 1) {
            throw GatewayFailure.invalid(Kind.INVALID, "invalid-epoch", "epoch", "an epoch is at least 1: " + epoch);
        }
        return OptionalLong.of(epoch);
    }

    private void requireHomeable(String region) {
        if (!regions.homeable().contains(region)) {
            throw GatewayFailure.invalid(
                    Kind.NOT_FOUND,
                    "unknown-region",
                    "region",
                    "not a read-write region of " + regions.homeable() + ": " + region);
        }
    }

    private HandoverState state() {
        return new HandoverState(
                regions.self(), handovers.shown(), health.down(), health.caughtUp(), clock.now(), handovers.epochs());
    }
}

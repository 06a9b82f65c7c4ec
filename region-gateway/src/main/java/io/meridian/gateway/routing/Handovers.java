package io.meridian.gateway.routing;

import io.meridian.coherence.event.ControlRecords;
import io.meridian.coherence.event.HomeAssignment;
import io.meridian.coherence.routing.HandoverState;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.kafka.ControlLog;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Planned handovers of home regions, as {@code ./meridian region drain|failover|failback} set them: per region, a
 * {@link HomeAssignment} (a state and an epoch) in this region's control topic ({@link ControlLog}, durable) and Redis
 * hash {@value #KEY}, read by every gateway of the region every {@code meridian.handover.refresh}. The command sets
 * the same state under the same epoch in every region and waits until each one reports it.
 *
 * <ul>
 *   <li>{@code DRAINING}: the region still owns its keys but refuses their writes (503 {@code draining}) while the
 *       others catch up on its log;
 *   <li>{@code MOVED}: its keys are homed in their next region of the placement list;
 *   <li>{@code RETURNING}: still moved, but the interim homes refuse the keys' writes while the region catches up on
 *       their logs (failback); clearing the state gives the keys back.
 * </ul>
 */
@ApplicationScoped
public class Handovers {

    /** The Redis hash of handover states, field = region. */
    public static final String KEY = io.meridian.coherence.redis.RedisKeys.HANDOVERS;

    /** A region's handover state; no state means it owns its keys as usual. */
    private final Redis redis;

    private final Vertx vertx;
    private final Regions regions;
    private final long refreshMillis;
    private final ControlLog control;
    private final io.meridian.gateway.kafka.ControlFollower follower;
    private static final HomeAssignment AT_HOME = HomeAssignment.of(HomeAssignment.HOME, 0);
    private volatile Map<String, HandoverState> states = Map.of();
    private volatile Map<String, HomeAssignment> assignments = Map.of();
    /** {@link #epochs()}, derived from {@link #assignments} when they are read, not on every forwarded write. */
    private volatile Map<String, Long> epochs = Map.of();
    /** Whether {@link #states} was read after the control topic had been followed to its end at start. */
    private volatile boolean current;

    public Handovers(
            Redis redis,
            Vertx vertx,
            Regions regions,
            MeridianConfig config,
            ControlLog control,
            io.meridian.gateway.kafka.ControlFollower follower) {
        this.follower = follower;
        this.control = control;
        this.redis = redis;
        this.vertx = vertx;
        this.regions = regions;
        this.refreshMillis = config.handover().refresh().toMillis();
        remember(null);
    }

    void start(@Observes StartupEvent start) throws InterruptedException {
        // The region's control topic first (a failover recorded while this gateway was away), then the states.
        boolean followed = follower.awaitLoaded();
        try {
            remember(redis.send(Request.cmd(Command.HGETALL).arg(KEY))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS));
            current = followed;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException redisAway) {
            // The periodic refresh below reads them once Redis answers; the region's keys wait for that.
        }
        vertx.setPeriodic(refreshMillis, id -> refresh());
    }

    /** @return the region's handover state; empty when it owns its keys as usual */
    public Optional<HandoverState> state(String region) {
        return Optional.ofNullable(states.get(region));
    }

    /** @return every region with a handover state */
    public Map<String, HandoverState> all() {
        return states;
    }

    /** @return every region with a handover state, the state as the API shows it ({@link HandoverState#id()}) */
    public Map<String, String> shown() {
        Map<String, String> shown = new TreeMap<>();
        states.forEach((region, state) -> shown.put(region, state.id()));
        return shown;
    }

    /**
     * Sets a region's state in this region (every gateway of it sees it within the refresh interval): first in the
     * region's control topic, so that it survives the loss of the Redis, then in the Redis.
     *
     * @param epoch the assignment's epoch, which every region is told alike; empty: one more than this region holds
     * @param fence see {@link HomeAssignment#fence()}; empty for none
     * @throws GatewayFailure 409 {@code stale-epoch} when this region holds a later assignment of the region
     */
    public Uni<Map<String, HandoverState>> set(
            String region, HandoverState state, OptionalLong epoch, Map<Integer, Long> fence) {
        return assign(region, state.id(), epoch, fence);
    }

    /** Clears a region's state: it owns its keys again (an assignment {@value HomeAssignment#HOME}, with its epoch). */
    public Uni<Map<String, HandoverState>> clear(String region, OptionalLong epoch) {
        return assign(region, HomeAssignment.HOME, epoch, Map.of());
    }

    private Uni<Map<String, HandoverState>> assign(
            String region, String state, OptionalLong epoch, Map<Integer, Long> fence) {
        requireHomeable(region);
        // Checked against the states as the Redis holds them now, not as this gateway last read them.
        return reload().chain(ignored -> {
            HomeAssignment held = assignment(region);
            HomeAssignment offered = new HomeAssignment(state, epoch.orElse(held.epoch() + 1), fence);
            if (!held.admits(offered)) {
                throw GatewayFailure.invalid(
                        Kind.CONFLICT,
                        "stale-epoch",
                        "epoch",
                        "this region holds assignment '" + held.encode() + "' of " + region + ", later than '"
                                + offered.encode() + "'; read the epochs with GET /v1/admin/handovers");
            }
            return control.append(ControlRecords.handoverKey(region), offered.encode())
                    .chain(() -> Uni.createFrom()
                            .completionStage(redis.send(Request.cmd(Command.HSET)
                                            .arg(KEY)
                                            .arg(region)
                                            .arg(offered.encode()))
                                    .toCompletionStage()))
                    .chain(written -> reload());
        });
    }

    /** @return the region's assignment as this gateway holds it; at home under epoch 0 when none was recorded */
    public HomeAssignment assignment(String region) {
        return assignments.getOrDefault(region, AT_HOME);
    }

    /** @return every region's assignment epoch as this gateway holds it (0 for a region never handed over) */
    public Map<String, Long> epochs() {
        return epochs;
    }

    private void requireHomeable(String region) {
        if (!regions.homeable().contains(region)) {
            throw new IllegalArgumentException(
                    "region " + region + " is not one of the read-write regions " + regions.homeable());
        }
    }

    private Uni<Map<String, HandoverState>> reload() {
        return Uni.createFrom()
                .completionStage(
                        redis.send(Request.cmd(Command.HGETALL).arg(KEY)).toCompletionStage())
                .map(reply -> {
                    remember(reply);
                    return states;
                });
    }

    private void refresh() {
        // Read before the hash: states read after the follower was done include everything the topic recorded.
        boolean followed = follower.loaded();
        redis.send(Request.cmd(Command.HGETALL).arg(KEY)).onSuccess(reply -> {
            remember(reply);
            if (followed) {
                current = true;
            }
        });
    }

    /**
     * @return whether the states this gateway holds include every state of the region's control topic as it was when
     *     the gateway started (a failover recorded while it was away among them); until then the gateway does not
     *     answer for its region's keys
     */
    public boolean current() {
        return current;
    }

    private void remember(Response reply) {
        Map<String, HomeAssignment> read = new TreeMap<>();
        Map<String, HandoverState> moved = new TreeMap<>();
        if (reply != null) {
            for (String region : reply.getKeys()) {
                HomeAssignment assignment;
                try {
                    assignment = HomeAssignment.parse(reply.get(region).toString());
                } catch (IllegalArgumentException unreadable) {
                    continue;
                }
                read.put(region, assignment);
                if (!assignment.state().equals(HomeAssignment.HOME)) {
                    try {
                        moved.put(
                                region, HandoverState.valueOf(assignment.state().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException unknown) {
                        // A state written by a newer gateway: ignored rather than guessed at.
                    }
                }
            }
        }
        Map<String, Long> heldEpochs = new TreeMap<>();
        regions.homeable()
                .forEach(region -> heldEpochs.put(
                        region, read.getOrDefault(region, AT_HOME).epoch()));
        assignments = Map.copyOf(read);
        epochs = java.util.Collections.unmodifiableMap(heldEpochs);
        states = Map.copyOf(moved);
    }
}

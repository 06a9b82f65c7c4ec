package io.meridian.gateway.routing;

import io.meridian.coherence.event.HomeAssignment;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this region has passed the fence of each moved region's assignment ({@link HomeAssignment#fence()}): its
 * replicator has applied the moved region's log up to where it stood when its keys moved, as the replicator records
 * its applied offsets in Redis ({@link RedisKeys#appliedOffset}). Read every {@code meridian.handover.refresh}. Once
 * passed, an assignment stays passed: the offsets only grow, and a region whose cache is being rebuilt refuses its
 * keys for that reason anyway.
 */
@ApplicationScoped
class AssignmentFences {

    private final Redis redis;
    private final Vertx vertx;
    private final Handovers handovers;
    private final String self;
    private final long refreshMillis;
    /** Per moved region, the assignment whose fence this region has passed. */
    private final Map<String, HomeAssignment> passed = new ConcurrentHashMap<>();

    public AssignmentFences(Redis redis, Vertx vertx, Handovers handovers, Regions regions, MeridianConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.handovers = handovers;
        this.self = regions.self();
        this.refreshMillis = config.handover().refresh().toMillis();
    }

    void start(@Observes StartupEvent start) {
        vertx.setPeriodic(refreshMillis, id -> refresh());
    }

    /** @return whether this region may execute the writes of {@code region}'s keys as far as its fence goes */
    public boolean passed(String region) {
        HomeAssignment assignment = handovers.assignment(region);
        return assignment.fence().isEmpty() || assignment.equals(passed.get(region));
    }

    private void refresh() {
        for (String region : handovers.all().keySet()) {
            HomeAssignment assignment = handovers.assignment(region);
            if (region.equals(self) || assignment.fence().isEmpty() || assignment.equals(passed.get(region))) {
                continue;
            }
            List<Integer> partitions = new ArrayList<>(assignment.fence().keySet());
            Request read = Request.cmd(Command.MGET);
            partitions.forEach(partition -> read.arg(RedisKeys.appliedOffset(region, partition)));
            redis.send(read).onSuccess(reply -> {
                Map<Integer, Long> applied = new HashMap<>();
                for (int i = 0; i < partitions.size(); i++) {
                    if (reply.get(i) != null) {
                        applied.put(partitions.get(i), reply.get(i).toLong());
                    }
                }
                if (assignment.fencePassed(applied)) {
                    passed.put(region, assignment);
                }
            });
        }
    }
}

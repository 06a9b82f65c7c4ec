package io.meridian.replicator.apply;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.purge.PurgeSweeper;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** This region's Redis, as the replicator writes to it: every event through apply-if-newer. */
@ApplicationScoped
public class RegionApplier {

    private final EventApplier applier;
    private final Redis redis;
    private final PurgeSweeper sweeper;

    /**
     * @param scripts the replicator's scripts, whose expired values keep their version as long as tombstones do, so
     *     no late older copy can replace them (see {@code config.ClockProducer})
     */
    public RegionApplier(
            Redis redis, ReplicatorConfig config, PurgeSweeper sweeper, CoherenceScripts scripts, WallClock clock) {
        this.redis = redis;
        this.sweeper = sweeper;
        this.applier = new EventApplier(scripts, clock, config.tombstoneTtl().toMillis());
    }

    /** Applies an event of a source whose current generation in this region is {@code generation}. */
    public Uni<EventApplier.Outcome> apply(CacheEvent event, long generation) {
        return Uni.createFrom()
                .completionStage(() -> applier.apply(event, generation).toCompletionStage())
                .invoke(outcome -> {
                    // Also when superseded: the home gateway records its own purges before this replicator sees them.
                    if (event instanceof CacheEvent.Purge purge) {
                        sweeper.sweep(purge);
                    }
                });
    }

    /**
     * Tells the region's gateways which keys changed, so they drop their near-cache entries: one pub/sub message
     * with a line {@code <namespace>/<key>} per key. Best effort: a gateway that misses it serves its entry at most
     * until the near cache's TTL.
     */
    public void announce(List<String> changedKeys) {
        if (changedKeys.isEmpty()) {
            return;
        }
        redis.send(
                Request.cmd(Command.PUBLISH).arg(RedisKeys.NEAR_CACHE_CHANNEL).arg(String.join("\n", changedKeys)));
    }
}

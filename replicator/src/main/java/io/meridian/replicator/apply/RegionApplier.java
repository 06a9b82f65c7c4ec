package io.meridian.replicator.apply;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.EventApplier;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.replicator.config.ReplicatorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;

/** This region's Redis, as the replicator writes to it: every event through apply-if-newer. */
@ApplicationScoped
public class RegionApplier {

    private final EventApplier applier;

    public RegionApplier(Redis redis, ReplicatorConfig config) {
        // Expired values keep their version as long as tombstones do, so no late older copy can replace them.
        CoherenceScripts scripts = new CoherenceScripts(
                new ScriptRunner(redis),
                WallClock.system(),
                config.tombstoneTtl().toMillis());
        this.applier = new EventApplier(
                scripts, WallClock.system(), config.tombstoneTtl().toMillis());
    }

    /** Applies an event of a source whose current generation in this region is {@code generation}. */
    public Uni<EventApplier.Outcome> apply(CacheEvent event, long generation) {
        return Uni.createFrom()
                .completionStage(() -> applier.apply(event, generation).toCompletionStage());
    }
}

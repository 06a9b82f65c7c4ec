package io.meridian.gateway.routing;

import io.meridian.coherence.redis.RedisKeys;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether this region's cache is being rebuilt after it lost its data: the replicator says so ({@link
 * RedisKeys#RECOVERING}), or the cache id this gateway saw before is gone ({@link RedisKeys#CACHE_ID}; the Redis was
 * flushed or replaced and the replicator has not noticed yet). Read every {@code meridian.handover.refresh}. Meanwhile
 * the region does not answer for its own keys: their copies, tombstones and the control state may be missing until
 * the replicator has replayed the event logs and the control topic.
 */
@ApplicationScoped
public class CacheRecoveryView {

    private final Redis redis;
    private final Vertx vertx;
    private final long refreshMillis;
    private volatile boolean flagged;
    private volatile boolean idLost;
    private volatile String seenId;

    public CacheRecoveryView(Redis redis, Vertx vertx, MeridianConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.refreshMillis = config.handover().refresh().toMillis();
    }

    void start(@Observes StartupEvent start) {
        refresh();
        vertx.setPeriodic(refreshMillis, id -> refresh());
    }

    /**
     * @return whether the region's own keys cannot be answered for now because its cache is being rebuilt (whether
     *     the handover states are current is {@link Handovers#current()}'s to say)
     */
    public boolean recovering() {
        return flagged || idLost;
    }

    /**
     * Whether this region's cache still holds what it held when this gateway last saw its id: asked after a read of
     * an own key found nothing, because between a flush and the next {@link #refresh} (up to {@code
     * meridian.handover.refresh}) an empty Redis would otherwise answer that miss as if the key did not exist. A
     * cache whose id this gateway never saw (a new deployment) counts as intact.
     *
     * @return false when the id is gone or another one (the cache was lost, and perhaps rebuilt meanwhile)
     */
    public io.smallrye.mutiny.Uni<Boolean> intact() {
        String seen = seenId;
        if (seen == null) {
            return io.smallrye.mutiny.Uni.createFrom().item(true);
        }
        return io.smallrye.mutiny.Uni.createFrom()
                .completionStage(() -> redis.send(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID))
                        .toCompletionStage())
                .map(reply -> {
                    if (reply == null) {
                        idLost = true;
                        return false;
                    }
                    return reply.toString().equals(seen);
                });
    }

    /** @return the 503 answered for the region's own keys while its cache is rebuilt */
    public static GatewayFailure refusal() {
        return GatewayFailure.unavailable(
                "recovering",
                "this region's cache or control state is being rebuilt (its Redis lost its data, or this gateway"
                        + " has not read the region's control topic yet); its keys are answered again once that is done");
    }

    private void refresh() {
        redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.RECOVERING))
                .onSuccess(reply -> flagged = reply != null && reply.toInteger() == 1);
        redis.send(Request.cmd(Command.GET).arg(RedisKeys.CACHE_ID)).onSuccess(reply -> {
            if (reply == null) {
                idLost = seenId != null;
            } else {
                seenId = reply.toString();
                idLost = false;
            }
        });
    }
}

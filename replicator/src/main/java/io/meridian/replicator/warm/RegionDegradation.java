package io.meridian.replicator.warm;

import io.meridian.coherence.clock.WallClock;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether this region's gateways run degraded: each publishes its level in the region's Redis (hash
 * {@value #REDIS_KEY}, field per gateway, {@code <LEVEL>@<expiry ms>}); read every 2 s. At ADVISORY or above on any
 * live gateway, warming is switched off: it would add fills to a region that is already short of capacity.
 */
@ApplicationScoped
class RegionDegradation {

    /** The gateways' hash (the same name as the gateway's {@code Degradation.REDIS_KEY}). */
    static final String REDIS_KEY = "meridian:degradation";

    private final Redis redis;
    private final Vertx vertx;
    private final WallClock clock;
    private volatile boolean degraded;
    private long timer = -1;

    public RegionDegradation(Redis redis, Vertx vertx, WallClock clock) {
        this.redis = redis;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(
                2_000,
                id -> redis.send(Request.cmd(Command.HGETALL).arg(REDIS_KEY)).onSuccess(this::read));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** @return whether a live gateway of the region reported ADVISORY or a higher level */
    public boolean degraded() {
        return degraded;
    }

    private void read(Response all) {
        long now = clock.millis();
        boolean any = false;
        if (all != null) {
            for (String node : all.getKeys()) {
                String[] levelAndExpiry = all.get(node).toString().split("@", 2);
                boolean live = levelAndExpiry.length == 2 && parse(levelAndExpiry[1]) > now;
                any |= live && !levelAndExpiry[0].equals("NORMAL");
            }
        }
        degraded = any;
    }

    private static long parse(String millis) {
        try {
            return Long.parseLong(millis);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

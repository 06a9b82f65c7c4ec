package io.meridian.gateway.routing;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This region's applied watermark per source region, as its replicator publishes them in Redis
 * ({@code meridian:watermark:<source>}), read every {@code meridian.watermark-refresh}. A read whose session token
 * asks for version V of a key homed in H may be served locally when the watermark for H has passed V: every event of
 * H up to V has been applied here.
 */
@ApplicationScoped
public class WatermarkView {

    private final WallClock wall;

    private final Redis redis;
    private final Vertx vertx;
    private final Regions regions;
    private final long refreshMillis;
    private final Map<String, Long> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Map<String, SourceState> states = new ConcurrentHashMap<>();

    public WatermarkView(Redis redis, Vertx vertx, Regions regions, MeridianConfig config, WallClock wall) {
        this.wall = wall;
        this.redis = redis;
        this.vertx = vertx;
        this.regions = regions;
        this.refreshMillis = config.watermarkRefresh().toMillis();
    }

    void start(@Observes StartupEvent start) {
        vertx.setPeriodic(refreshMillis, id -> refresh());
    }

    /** @return the applied watermark (an HLC) for a source region, empty when unknown */
    public OptionalLong watermark(String source) {
        Long value = watermarks.get(source);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** @return seconds between now and the watermark's wall time, or NaN when unknown */
    public double lagSeconds(String source) {
        OptionalLong watermark = watermark(source);
        if (watermark.isEmpty()) {
            return Double.NaN;
        }
        long at = HybridLogicalClock.physical(watermark.getAsLong());
        return Math.max(0, wall.millis() - at) / 1000.0;
    }

    /**
     * @return the generation of a source region in this region: copies of its keys live under it (see
     *     {@link RedisKeys#value(String, String, long)}); this region's own keys are always generation 0
     */
    public long generation(String source) {
        return source.equals(regions.self()) ? 0 : generations.getOrDefault(source, 0L);
    }

    /**
     * How this region's replicator reads a source's log, as it last published it.
     *
     * @param up whether the source is being read
     * @param since when it last became up or down (epoch ms)
     * @param error why it is not read (empty while up)
     * @param lastRecord when its last record arrived (epoch ms, 0 if none yet)
     */
    public record SourceState(boolean up, long since, String error, long lastRecord) {}

    /** @return how the replicator reads a source, empty when it published nothing recently (stopped, or unknown) */
    public java.util.Optional<SourceState> sourceState(String source) {
        return java.util.Optional.ofNullable(states.get(source));
    }

    private void refresh() {
        for (String source : regions.names()) {
            redis.send(Request.cmd(Command.GET).arg(RedisKeys.watermark(source)))
                    .onSuccess(reply -> remember(source, reply));
            redis.send(Request.cmd(Command.GET).arg(RedisKeys.generation(source)))
                    .onSuccess(reply -> generations.put(source, reply == null ? 0L : reply.toLong()));
            redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.sourceState(source)))
                    .onSuccess(reply -> rememberState(source, reply));
        }
    }

    private void rememberState(String source, Response reply) {
        if (reply == null || reply.size() == 0 || !reply.containsKey("up")) {
            states.remove(source);
            return;
        }
        states.put(
                source,
                new SourceState(
                        "1".equals(reply.get("up").toString()),
                        number(reply, "since"),
                        reply.containsKey("error") ? reply.get("error").toString() : "",
                        number(reply, "last-record")));
    }

    private static long number(Response hash, String field) {
        return hash.containsKey(field) ? hash.get(field).toLong() : 0L;
    }

    private void remember(String source, Response reply) {
        if (reply == null) {
            watermarks.remove(source);
        } else {
            watermarks.put(source, reply.toLong());
        }
    }
}

package io.meridian.gateway.routing;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Regions;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What automatic failover (namespaces with {@code region-outage-policy=failover}) needs to know about the regions.
 *
 * <p>Every other read-write region's gateway is probed every {@code meridian.handover.probe-interval} on {@code
 * /internal/v1/homing}; a region that has not answered since some instant is down since then. A key's writes move to
 * its next region only once its home has been down for the namespace's {@code failover-after}, and go back as soon
 * as the home answers again.
 *
 * <p>A gateway that starts does not take its own keys (of failover namespaces) back at once: the regions that held
 * them may have written them, and those writes must be applied here first. It answers their writes and reads 503
 * {@code recovering} until this region's watermark of every other read-write region has passed its start plus the
 * time the others need to notice it is back ({@link #handoverMargin()}); so every write the interim homes
 * acknowledged is applied here before this region answers for the keys again, or decides a conditional write on its
 * copy. There is no time limit and no exception for a region that does not answer: one that took the keys and then
 * went down may hold the only copy of their writes in its log.
 */
@ApplicationScoped
public class RegionHealth {

    private final WallClock wall;

    private final Vertx vertx;
    private final WebClient client;
    private final MeridianConfig config;
    private final Regions regions;
    private final WatermarkView watermarks;
    /** Probes in a row that must fail before a region counts as down: one slow answer is not an outage. */
    static final int FAILURES_TO_DOWN = 3;

    private final Map<String, Long> downSince = new ConcurrentHashMap<>();
    private final Map<String, Long> failingSince = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final long startedAt;
    private final boolean failoverUsed;
    private volatile boolean caughtUp;

    public RegionHealth(Vertx vertx, MeridianConfig config, Regions regions, WatermarkView watermarks, WallClock wall) {
        this.wall = wall;
        this.startedAt = wall.millis();
        this.vertx = vertx;
        this.client = WebClient.create(vertx);
        this.config = config;
        this.regions = regions;
        this.watermarks = watermarks;
        this.failoverUsed = config.namespaces().values().stream()
                .anyMatch(ns -> ns.regionOutagePolicy() == NamespaceConfig.RegionOutagePolicy.FAILOVER);
        // Without failover namespaces nobody else takes this region's keys, so there is nothing to catch up on.
        this.caughtUp = !failoverUsed || regions.readOnly();
    }

    void start(@Observes StartupEvent start) {
        if (!failoverUsed) {
            return;
        }
        long interval = config.handover().probeInterval().toMillis();
        vertx.setPeriodic(interval, id -> {
            others().forEach(this::probe);
            checkCaughtUp();
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** @return whether {@code region} has not answered its probes for at least {@code period} */
    public boolean downFor(String region, Duration period) {
        Long since = downSince.get(region);
        return since != null && wall.millis() - since >= period.toMillis();
    }

    /** @return the regions that do not answer their probes now */
    public List<String> down() {
        return downSince.keySet().stream().sorted().toList();
    }

    /** @return whether this region has caught up on the other regions' logs since it started (see the class doc) */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * How long after this gateway starts the other regions may still take its keys' writes: until their probe sees it
     * (one interval plus a probe's timeout), with one more interval of slack.
     */
    Duration handoverMargin() {
        return config.handover()
                .probeInterval()
                .multipliedBy(2)
                .plus(config.handover().probeTimeout());
    }

    private List<String> others() {
        return regions.homeable().stream()
                .filter(region -> !region.equals(regions.self()))
                .toList();
    }

    private void probe(String region) {
        String url = config.regions().get(region).gatewayUrl().orElse(null);
        if (url == null) {
            return;
        }
        client.getAbs(url + "/internal/v1/homing")
                .putHeader(RegionClient.SECRET_HEADER, config.internalSecret().orElse(""))
                .timeout(config.handover().probeTimeout().toMillis())
                .send()
                .subscribe()
                .with(
                        response -> {
                            if (response.statusCode() == 200) {
                                answered(region);
                            } else {
                                missed(region);
                            }
                        },
                        failure -> missed(region));
    }

    private void answered(String region) {
        failures.remove(region);
        failingSince.remove(region);
        downSince.remove(region);
    }

    /** A region is down since its first failed probe once {@link #FAILURES_TO_DOWN} probes in a row have failed. */
    private void missed(String region) {
        long first = failingSince.computeIfAbsent(region, r -> wall.millis());
        if (failures.merge(region, 1, Integer::sum) >= FAILURES_TO_DOWN) {
            downSince.putIfAbsent(region, first);
        }
    }

    private void checkCaughtUp() {
        if (caughtUp) {
            return;
        }
        long required = HybridLogicalClock.pack(startedAt + handoverMargin().toMillis(), 0);
        // Every other read-write region may have taken this region's keys while it was away, however long ago and
        // whether or not it answers now: this region waits for each one's log, however long that takes. A region
        // that stays down keeps this region's failover keys refused (503 recovering) until it is back or handed over.
        if (others().stream().allMatch(source -> watermarks.watermark(source).orElse(-1) >= required)) {
            caughtUp = true;
        }
    }

    /** The body of {@code /internal/v1/homing}. */
    public JsonObject describe() {
        return new JsonObject().put("region", regions.self()).put("caughtUp", caughtUp);
    }
}

package io.meridian.gateway.degradation;

import io.meridian.coherence.clock.WallClock;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * This gateway's degradation level: measured every second from the last 10 s of requests (p99 latency, error rate)
 * and the process's CPU load, with hysteresis ({@link LevelPolicy}), or pinned by an operator. The level switches
 * features off ({@link Level#switchedOff()}); it is shown in {@code /v1/status} and {@code meridian_degradation_level},
 * and published in the region's Redis (hash {@value #REDIS_KEY}, field node id, {@code <level>@<expiry ms>}) so the
 * region's replicator stops warming while its gateways are degraded.
 */
@ApplicationScoped
public class Degradation implements LoadRecorder {

    private final WallClock wall;

    /** Hash of the region's gateways' levels, read by the region's replicator. */
    public static final String REDIS_KEY = "meridian:degradation";

    private static final Logger LOG = Logger.getLogger(Degradation.class);
    private static final long EVALUATE_EVERY_MS = 1_000;

    private final LoadSignals signals = new LoadSignals(10);
    private final LevelPolicy policy;
    private final boolean automatic;
    private final Vertx vertx;
    private final Redis redis;
    private final String node;
    private volatile Level measured = Level.NORMAL;
    private volatile Optional<Level> pinned = Optional.empty();
    private long timer = -1;

    public Degradation(
            MeridianConfig config, Regions regions, Vertx vertx, Redis redis, MeterRegistry metrics, WallClock wall) {
        this.wall = wall;
        this.automatic = config.degradation().automatic();
        this.policy = new LevelPolicy(
                config.degradation().raiseAfter(), config.degradation().lowerAfter());
        this.vertx = vertx;
        this.redis = redis;
        // One field per process: node numbers are leased and may change.
        this.node =
                regions.self() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Gauge.builder("meridian.degradation.level", this, d -> d.level().ordinal())
                .description("Degradation level: 0 NORMAL, 1 ADVISORY, 2 WARNING, 3 CRITICAL, 4 SURVIVAL")
                .register(metrics);
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(EVALUATE_EVERY_MS, id -> evaluate());
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public void record(long latencyNanos, boolean error) {
        signals.record(wall.millis(), latencyNanos, error);
    }

    /** @return the level the gateway runs at now: the pinned one, else the measured one */
    public Level level() {
        return pinned.orElse(measured);
    }

    /** @return whether a feature runs now */
    public boolean allows(Level.Feature feature) {
        return level().allows(feature);
    }

    /** @return the level an operator pinned, if any */
    public Optional<Level> pinned() {
        return pinned;
    }

    /** Holds the gateway at {@code level} whatever the measurements say, until {@link #release()}. */
    public void pin(Level level) {
        LOG.warnf("degradation level pinned at %s by an operator", level);
        pinned = Optional.of(level);
        publish();
    }

    /** Lets the measurements decide the level again. */
    public void release() {
        LOG.warnf("degradation level released; measured level is %s", measured);
        pinned = Optional.empty();
        publish();
    }

    /** @return the last window's figures, for status and tests */
    public LoadSignals.Window window() {
        return signals.window(wall.millis());
    }

    private void evaluate() {
        if (automatic) {
            LoadSignals.Window window = window();
            Level before = measured;
            measured = policy.next(
                    LevelPolicy.measured(window.requests(), window.p99Millis(), window.errorRate(), processCpu()));
            if (measured != before) {
                LOG.warnf(
                        "degradation level %s -> %s (p99 %.0f ms, errors %.1f%%, %d requests in 10 s)",
                        before, measured, window.p99Millis(), 100 * window.errorRate(), window.requests());
            }
        }
        publish();
    }

    private void publish() {
        String value = level().name() + "@" + (wall.millis() + 5 * EVALUATE_EVERY_MS);
        redis.send(Request.cmd(Command.HSET).arg(REDIS_KEY).arg(node).arg(value))
                .onFailure(failure -> LOG.debugf("cannot publish the degradation level: %s", failure.getMessage()));
    }

    private static double processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? 0 : load;
        }
        return 0;
    }
}

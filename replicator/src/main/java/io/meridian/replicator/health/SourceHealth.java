package io.meridian.replicator.health;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.RedisKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether each source region's log is being read, and if not why and since when. A source is <em>up</em> while the
 * consumer that reads it polls without error and no batch of it has been waiting for Redis longer than {@link
 * #STALLED_AFTER_MS}; it is down from the first failure until the next successful poll. Exported as {@code
 * meridian_replicator_source_up{source}}, published in Redis ({@link RedisKeys#sourceState}) for the gateways'
 * {@code /v1/status}, and behind the replicator's readiness ({@link SourcesReadiness}).
 *
 * <p>A source whose region is silent (cut off, or its gateways down) stays up: the consumer is healthy, there is just
 * nothing to read; its {@code last-record} age and the watermark's lag show the silence.
 */
@ApplicationScoped
public class SourceHealth {

    /** How long a batch may wait for Redis before its source counts as not being read. */
    static final long STALLED_AFTER_MS = 10_000;

    private static final long PUBLISH_EVERY_MS = 1_000;
    private static final long PUBLISHED_TTL_MS = 10_000;

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Redis redis;
    private final WallClock clock;
    private ScheduledExecutorService timer;

    public SourceHealth(MeterRegistry metrics, Redis redis, WallClock clock) {
        this.metrics = metrics;
        this.redis = redis;
        this.clock = clock;
    }

    /** A consumer will read this source: until it polls, the replicator is not ready. */
    public void expect(String source) {
        state(source);
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-source-health");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::publish, PUBLISH_EVERY_MS, PUBLISH_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** A poll of the source's consumer returned (with records or without). */
    public void polled(String source) {
        state(source).polled(clock.millis());
    }

    /** A record of the source arrived. */
    public void received(String source) {
        state(source).received(clock.millis());
    }

    /** Reading the source failed; it is retried. */
    public void failed(String source, Throwable failure) {
        state(source).failed(clock.millis(), describe(failure));
    }

    /** A batch of the source started or finished waiting on its apply. */
    public void applying(String source, boolean started) {
        state(source).applying(started ? clock.millis() : 0);
    }

    /** An apply of the source's events failed for a reason that is retried (Redis away). */
    public void applyFailed(String source, Throwable failure) {
        state(source).applyFailed(describe(failure));
    }

    /** @return whether the source is read now */
    public boolean up(String source) {
        State state = states.get(source);
        return state != null && state.up(clock.millis());
    }

    /** @return the sources read so far or configured, each with whether it is up and why not */
    public Map<String, View> all() {
        Map<String, View> views = new java.util.TreeMap<>();
        long now = clock.millis();
        states.forEach((source, state) -> views.put(source, state.view(now)));
        return views;
    }

    /** @return the sources that are down, for readiness */
    public Set<String> down() {
        Set<String> down = new TreeSet<>();
        long now = clock.millis();
        states.forEach((source, state) -> {
            if (!state.up(now) && state.everStarted()) {
                down.add(source);
            }
        });
        return down;
    }

    /** @return the expected sources whose consumer has not polled yet */
    public Set<String> notStarted() {
        Set<String> waiting = new TreeSet<>();
        states.forEach((source, state) -> {
            if (!state.everStarted()) {
                waiting.add(source);
            }
        });
        return waiting;
    }

    /**
     * How one source is read.
     *
     * @param up whether it is read now
     * @param since when it last became up or down (epoch ms; 0 while it never polled)
     * @param error why it is down (empty while up)
     * @param lastRecord when its last record arrived (epoch ms; 0 if none yet)
     */
    public record View(boolean up, long since, Optional<String> error, long lastRecord) {}

    private State state(String source) {
        return states.computeIfAbsent(source, name -> {
            State state = new State();
            Gauge.builder("meridian.replicator.source.up", this, health -> health.up(name) ? 1 : 0)
                    .description("1 while this replicator reads the source region's log, 0 while it cannot")
                    .tag("source", name)
                    .register(metrics);
            return state;
        });
    }

    private void publish() {
        all().forEach((source, view) -> redis.send(Request.cmd(Command.HSET)
                        .arg(RedisKeys.sourceState(source))
                        .arg("up")
                        .arg(view.up() ? "1" : "0")
                        .arg("since")
                        .arg(Long.toString(view.since()))
                        .arg("error")
                        .arg(view.error().orElse(""))
                        .arg("last-record")
                        .arg(Long.toString(view.lastRecord())))
                .compose(ignored -> redis.send(Request.cmd(Command.PEXPIRE)
                        .arg(RedisKeys.sourceState(source))
                        .arg(PUBLISHED_TTL_MS))));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** One source's state; every transition is atomic under the state's lock. */
    private static final class State {
        private boolean started;
        private boolean failing;
        private long since;
        private String error = "";
        private long applyingSince;
        private long lastRecord;

        synchronized void polled(long now) {
            if (!started || failing) {
                since = now;
            }
            started = true;
            failing = false;
            error = "";
        }

        synchronized void received(long now) {
            lastRecord = now;
        }

        synchronized void failed(long now, String why) {
            if (!failing) {
                since = now;
            }
            started = true;
            failing = true;
            error = why;
        }

        synchronized void applying(long since) {
            applyingSince = since;
            if (since == 0 && !failing) {
                error = "";
            }
        }

        synchronized void applyFailed(String why) {
            error = "cannot apply yet: " + why;
        }

        synchronized boolean everStarted() {
            return started;
        }

        synchronized boolean up(long now) {
            return started && !failing && !stalled(now);
        }

        private boolean stalled(long now) {
            return applyingSince != 0 && now - applyingSince > STALLED_AFTER_MS;
        }

        synchronized View view(long now) {
            boolean up = up(now);
            String why = up ? "" : (!started ? "not polled yet" : stalled(now) && !failing ? stalledWhy() : error);
            long changed = stalled(now) && !failing ? applyingSince : since;
            return new View(up, changed, why.isEmpty() ? Optional.empty() : Optional.of(why), lastRecord);
        }

        private String stalledWhy() {
            return error.isEmpty() ? "a batch has been waiting for Redis" : error;
        }
    }
}

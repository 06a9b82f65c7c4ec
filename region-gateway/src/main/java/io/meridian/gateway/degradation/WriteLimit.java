package io.meridian.gateway.degradation;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.meridian.gateway.config.MeridianConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How many writes this gateway executes at once as their home: an adaptive concurrency limit, checked before a write
 * does anything (before its Kafka append), so a write refused for load ({@code 503 overloaded}) never reaches the log.
 * Writes the gateway forwards are limited by their home region's gateway, whose latency is its own.
 *
 * <p>Netflix's concurrency-limits ({@link Gradient2Limit}) moves the limit with the writes' latency: while latency
 * stays at its long-run average the limit grows, and when writes queue (for a core, for Kafka's acknowledgement) it
 * shrinks, so the writes admitted keep their latency and the rest are refused at once instead of queueing until they
 * time out. A write that timed out counts as dropped (the limit was too high); a write that failed fast (Kafka or
 * another region away) says nothing of capacity and is ignored. {@code meridian.max-writes-in-flight} is the ceiling;
 * with {@code meridian.write-limit.adaptive=false} the limit stays at that ceiling.
 */
@ApplicationScoped
public class WriteLimit {

    private final SimpleLimiter<Void> limiter;
    private final int ceiling;

    @Inject
    public WriteLimit(MeridianConfig config, MeterRegistry metrics) {
        this(
                config.maxWritesInFlight(),
                config.writeLimit().adaptive() ? config.writeLimit().initial() : config.maxWritesInFlight(),
                config.writeLimit().adaptive() ? config.writeLimit().min() : config.maxWritesInFlight(),
                System::nanoTime);
        Gauge.builder("meridian.write.limit", limiter, SimpleLimiter::getLimit)
                .description("The adaptive limit on writes under way in this gateway")
                .register(metrics);
        Gauge.builder("meridian.writes.inflight", limiter, SimpleLimiter::getInflight)
                .description("Writes under way in this gateway")
                .register(metrics);
    }

    /**
     * @param ceiling the most writes ever admitted at once
     * @param initial the limit at start
     * @param floor the least the limit falls to
     */
    public WriteLimit(int ceiling, int initial, int floor) {
        this(ceiling, initial, floor, System::nanoTime);
    }

    /** As {@link #WriteLimit(int, int, int)}, timing writes on {@code nanoClock}. */
    WriteLimit(int ceiling, int initial, int floor, LongSupplier nanoClock) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("meridian.max-writes-in-flight must be at least 1, was " + ceiling);
        }
        if (floor < 1 || initial < 1) {
            throw new IllegalArgumentException(
                    "meridian.write-limit.initial and .min must be at least 1, were " + initial + " and " + floor);
        }
        this.ceiling = ceiling;
        int start = Math.min(initial, ceiling);
        this.limiter = SimpleLimiter.newBuilder()
                .named("meridian-writes")
                .clock(nanoClock::getAsLong)
                .limit(Gradient2Limit.newBuilder()
                        .initialLimit(start)
                        .minLimit(Math.min(floor, start))
                        .maxConcurrency(ceiling)
                        .build())
                .build();
    }

    /**
     * @return the write's slot, to release with {@code onSuccess} (answered), {@code onDropped} (timed out) or
     *     {@code onIgnore} (failed fast), or empty when the write must be refused
     */
    public Optional<Limiter.Listener> acquire() {
        return limiter.acquire(null);
    }

    /** @return the current limit */
    public int limit() {
        return limiter.getLimit();
    }

    /** @return writes under way now */
    public int inFlight() {
        return limiter.getInflight();
    }

    /** @return the most writes ever admitted at once */
    public int ceiling() {
        return ceiling;
    }
}

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

/**
 * Load shedding by request priority ({@code Meridian-Priority}: 1 never shed, 4 shed first) with an adaptive
 * concurrency limit: Netflix's concurrency-limits library ({@link Gradient2Limit}, which lowers the limit as latency
 * rises above its long-run average) decides how many requests this gateway takes at once. Priority 2 may use all of
 * it, priority 3 nine tenths and priority 4 three quarters, so the lower priorities are refused first as the gateway
 * fills up; priority 1 bypasses the limit.
 */
@ApplicationScoped
public class PriorityShedding {

    private static final Limiter.Listener UNLIMITED = new Limiter.Listener() {
        @Override
        public void onSuccess() {}

        @Override
        public void onIgnore() {}

        @Override
        public void onDropped() {}
    };

    private final boolean enabled;
    private final SimpleLimiter<Integer> limiter;
    private final MeterRegistry metrics;

    @Inject
    public PriorityShedding(MeridianConfig config, MeterRegistry metrics) {
        this(
                config.degradation().shedding(),
                config.degradation().initialLimit(),
                config.degradation().minLimit(),
                config.degradation().maxLimit(),
                metrics);
    }

    PriorityShedding(boolean enabled, int initialLimit, int minLimit, int maxLimit, MeterRegistry metrics) {
        this.enabled = enabled;
        this.metrics = metrics;
        this.limiter = SimpleLimiter.newBuilder()
                .named("meridian-gateway")
                .limit(Gradient2Limit.newBuilder()
                        .initialLimit(initialLimit)
                        .minLimit(minLimit)
                        .maxConcurrency(maxLimit)
                        .build())
                .build();
        Gauge.builder("meridian.concurrency.limit", limiter, SimpleLimiter::getLimit)
                .description("The adaptive concurrency limit of this gateway")
                .register(metrics);
        Gauge.builder("meridian.concurrency.inflight", limiter, SimpleLimiter::getInflight)
                .description("Requests under the concurrency limit now")
                .register(metrics);
    }

    /**
     * @return a listener to call when the request is done ({@code onSuccess}, or {@code onDropped} when it failed for
     *     want of capacity), or empty when the request must be shed
     */
    public Optional<Limiter.Listener> admit(int priority) {
        if (!enabled || priority == 1) {
            return Optional.of(UNLIMITED);
        }
        double share = priority == 2 ? 1.0 : priority == 3 ? 0.9 : 0.75;
        if (limiter.getInflight() >= limiter.getLimit() * share) {
            shed(priority);
            return Optional.empty();
        }
        Optional<Limiter.Listener> admitted = limiter.acquire(priority);
        if (admitted.isEmpty()) {
            shed(priority);
        }
        return admitted;
    }

    /** @return the current concurrency limit */
    public int limit() {
        return limiter.getLimit();
    }

    private void shed(int priority) {
        metrics.counter("meridian.shed", "priority", Integer.toString(priority)).increment();
    }
}

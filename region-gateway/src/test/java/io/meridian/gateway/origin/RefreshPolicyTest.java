package io.meridian.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The refresh policy with a chosen random draw: no clock, no Redis, no origin. */
class RefreshPolicyTest {

    private static final StoredValue VALUE =
            StoredValue.value(new Version(1L << 16, 1), "text/plain", "v".getBytes(StandardCharsets.UTF_8), 1);

    @Test
    void earlyRefresh_becomesLikelierAsTheRemainingTtlFallsTowardsTheLoadTime() {
        AtomicReference<Double> draw = new AtomicReference<>(0.5);
        RefreshPolicy policy = new RefreshPolicy(draw::get);
        OriginConfig origin = origin(1.0);
        policy.loaded("ns", 100); // delta = 100 ms: gap = 100 × -ln(1 - draw)

        // draw 0.5: gap = 69 ms
        assertThat(policy.shouldRefreshEarly("ns", origin, live(60), true)).isTrue();
        assertThat(policy.shouldRefreshEarly("ns", origin, live(80), true)).isFalse();
        // draw 0.99: gap = 460 ms
        draw.set(0.99);
        assertThat(policy.shouldRefreshEarly("ns", origin, live(400), true)).isTrue();
        assertThat(policy.shouldRefreshEarly("ns", origin, live(60_000), true)).isFalse();
    }

    @Test
    void earlyRefresh_neverWhenSwitchedOffDegradedOrTheCopyIsNotLive() {
        RefreshPolicy policy = new RefreshPolicy(() -> 0.999999);
        assertThat(policy.shouldRefreshEarly("ns", origin(0), live(1), true))
                .as("beta 0")
                .isFalse();
        assertThat(policy.shouldRefreshEarly("ns", origin(1), live(1), false))
                .as("degraded")
                .isFalse();
        assertThat(policy.shouldRefreshEarly("ns", origin(1), expired(1), true))
                .as("expired")
                .isFalse();
    }

    @Test
    void earlyRefresh_usesTheRecentLoadTimes_weightingTheNewest() {
        RefreshPolicy policy = new RefreshPolicy(() -> 1 - Math.exp(-1)); // -ln(1 - draw) = 1: gap = delta
        OriginConfig origin = origin(1.0);
        // Before any load: a tenth of the timeout (2 s), 200 ms.
        assertThat(policy.shouldRefreshEarly("ns", origin, live(199), true)).isTrue();
        assertThat(policy.shouldRefreshEarly("ns", origin, live(201), true)).isFalse();
        policy.loaded("ns", 1_000);
        policy.loaded("ns", 0); // 0.8 × 1000 + 0.2 × 0 = 800 ms
        assertThat(policy.shouldRefreshEarly("ns", origin, live(799), true)).isTrue();
        assertThat(policy.shouldRefreshEarly("ns", origin, live(801), true)).isFalse();
    }

    @Test
    void staleWindows_countFromTheExpiry_andNeverServeATombstone() {
        OriginConfig origin = origin(1.0); // stale-while-revalidate 5 s, stale-if-error 60 s
        assertThat(RefreshPolicy.mayServeWhileRevalidating(origin, expired(4_999)))
                .isTrue();
        assertThat(RefreshPolicy.mayServeWhileRevalidating(origin, expired(5_000)))
                .isFalse();
        assertThat(RefreshPolicy.mayServeWhileRevalidating(origin, live(1)))
                .as("not expired")
                .isFalse();
        assertThat(RefreshPolicy.mayServeOnError(origin, expired(59_999))).isTrue();
        assertThat(RefreshPolicy.mayServeOnError(origin, expired(60_000))).isFalse();
        assertThat(RefreshPolicy.mayServeOnError(origin, live(1))).isTrue();
        StoredEntry tombstone = new StoredEntry(StoredValue.tombstone(new Version(1L << 16, 1)), -1);
        assertThat(RefreshPolicy.mayServeOnError(origin, tombstone)).isFalse();
        assertThat(RefreshPolicy.mayServeOnError(origin, StoredEntry.ABSENT)).isFalse();
    }

    private static StoredEntry live(long remainingMillis) {
        return new StoredEntry(VALUE, remainingMillis);
    }

    private static StoredEntry expired(long agoMillis) {
        return new StoredEntry(VALUE, -agoMillis);
    }

    private static OriginConfig origin(double beta) {
        return new OriginConfig() {
            public String url() {
                return "http://127.0.0.1:1/{key}";
            }

            public Optional<String> batchUrl() {
                return Optional.empty();
            }

            public Optional<String> writeUrl() {
                return Optional.empty();
            }

            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            public Duration leaseTtl() {
                return Duration.ofSeconds(1);
            }

            public Duration staleIfError() {
                return Duration.ofSeconds(60);
            }

            public Duration staleWhileRevalidate() {
                return Duration.ofSeconds(5);
            }

            public double earlyRefreshBeta() {
                return beta;
            }

            public int breakerFailures() {
                return 5;
            }

            public Duration breakerOpenFor() {
                return Duration.ofSeconds(5);
            }
        };
    }
}

package io.meridian.gateway.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netflix.concurrency.limits.Limiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteLimitTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void writesThatQueue_lowerTheLimit_andWritesBeyondItAreRefused() {
        WriteLimit limit = new WriteLimit(256, 64, 8, nanos::get);
        rounds(limit, 100, 1_000_000);
        int steady = limit.limit();
        assertThat(steady).isGreaterThanOrEqualTo(64);

        // The same writes now wait fifty times as long: they are queueing. (Latency that stays high becomes the
        // limit's new normal, so the limit falls at the rise.)
        rounds(limit, 1, 50_000_000);

        assertThat(limit.limit()).isLessThan(steady / 2).isGreaterThanOrEqualTo(8);
        List<Limiter.Listener> held = fill(limit);
        assertThat(held).hasSize(limit.limit());
        assertThat(limit.acquire()).isEmpty();
        held.forEach(Limiter.Listener::onIgnore);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void writesThatTimeOut_lowerTheLimit_writesThatFailFast_doNot() {
        WriteLimit timedOut = new WriteLimit(256, 64, 8, nanos::get);
        WriteLimit failedFast = new WriteLimit(256, 64, 8, nanos::get);
        rounds(timedOut, 50, 1_000_000);
        rounds(failedFast, 50, 1_000_000);
        int before = timedOut.limit();

        List<Limiter.Listener> dropped = fill(timedOut);
        List<Limiter.Listener> ignored = fill(failedFast);
        nanos.addAndGet(2_000_000_000L);
        dropped.forEach(Limiter.Listener::onDropped);
        ignored.forEach(Limiter.Listener::onIgnore);

        assertThat(timedOut.limit()).isLessThan(before);
        assertThat(failedFast.limit()).isEqualTo(before);
    }

    @Test
    void withoutAdaptation_theLimitIsTheCeiling() {
        WriteLimit fixed = new WriteLimit(3, 3, 3, nanos::get);

        List<Limiter.Listener> held = fill(fixed);

        assertThat(held).hasSize(3);
        assertThat(fixed.acquire()).isEmpty();
    }

    @Test
    void aCeilingOrFloorBelowOne_isRefusedAtStart() {
        assertThatThrownBy(() -> new WriteLimit(0, 64, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meridian.max-writes-in-flight");
        assertThatThrownBy(() -> new WriteLimit(256, 64, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meridian.write-limit");
    }

    /** Rounds of as many concurrent writes as the limit admits, each taking {@code latencyNanos}. */
    private void rounds(WriteLimit limit, int rounds, long latencyNanos) {
        for (int round = 0; round < rounds; round++) {
            List<Limiter.Listener> held = fill(limit);
            nanos.addAndGet(latencyNanos);
            held.forEach(Limiter.Listener::onSuccess);
        }
    }

    private static List<Limiter.Listener> fill(WriteLimit limit) {
        List<Limiter.Listener> held = new ArrayList<>();
        for (Optional<Limiter.Listener> slot = limit.acquire(); slot.isPresent(); slot = limit.acquire()) {
            held.add(slot.get());
        }
        return held;
    }
}

package io.meridian.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegionCircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final RegionCircuitBreaker breaker = new RegionCircuitBreaker(3, 1_000, now::get);

    @Test
    void opensAfterConsecutiveFailures_only() {
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();
        breaker.failed();
        assertThat(breaker.allows()).isTrue();

        breaker.failed();
        assertThat(breaker.allows()).isFalse();
    }

    @Test
    void open_letsAProbeThroughAfterThePause_andSuccessCloses() {
        breaker.failed();
        breaker.failed();
        breaker.failed();
        now.addAndGet(999);
        assertThat(breaker.allows()).isFalse();

        now.addAndGet(1);
        assertThat(breaker.allows()).isTrue();
        breaker.succeeded();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void failedProbe_reopensForAnotherPause() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
        now.addAndGet(1_000);
        breaker.failed();

        assertThat(breaker.allows()).isFalse();
    }
}

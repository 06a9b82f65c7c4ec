package io.meridian.gateway.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadSignalsTest {

    private static final long T0 = 1_800_000_000_000L;

    @Test
    void window_givesP99AndErrorRateOfTheLastSeconds() {
        LoadSignals signals = new LoadSignals(10);
        for (int i = 1; i <= 1_000; i++) {
            signals.record(T0 + i, i * 1_000_000L, i % 50 == 0);
        }

        LoadSignals.Window window = signals.window(T0 + 1_500);

        assertThat(window.requests()).isEqualTo(1_000);
        assertThat(window.p99Millis()).isCloseTo(990, within(1.0));
        assertThat(window.errorRate()).isCloseTo(0.02, within(1e-9));
    }

    @Test
    void window_forgetsSecondsOlderThanItsLength() {
        LoadSignals signals = new LoadSignals(10);
        signals.record(T0, 5_000_000_000L, true);
        signals.record(T0 + 10_500, 1_000_000L, false);

        LoadSignals.Window window = signals.window(T0 + 10_600);

        assertThat(window.requests()).isEqualTo(1);
        assertThat(window.p99Millis()).isCloseTo(1, within(0.01));
        assertThat(window.errorRate()).isZero();
        assertThat(signals.window(T0 + 60_000).requests()).isZero();
    }
}

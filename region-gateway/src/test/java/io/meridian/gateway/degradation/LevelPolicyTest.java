package io.meridian.gateway.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LevelPolicyTest {

    @Test
    void measured_followsTheArchitecturesThresholds() {
        assertThat(LevelPolicy.measured(100, 150, 0, 0.5)).isEqualTo(Level.NORMAL);
        assertThat(LevelPolicy.measured(100, 250, 0, 0.5)).isEqualTo(Level.ADVISORY);
        assertThat(LevelPolicy.measured(100, 10, 0, 0.80)).isEqualTo(Level.ADVISORY);
        assertThat(LevelPolicy.measured(100, 450, 0, 0.5)).isEqualTo(Level.WARNING);
        assertThat(LevelPolicy.measured(100, 10, 0, 0.90)).isEqualTo(Level.WARNING);
        assertThat(LevelPolicy.measured(100, 1_100, 0, 0.5)).isEqualTo(Level.CRITICAL);
        assertThat(LevelPolicy.measured(100, 10, 0.02, 0.5)).isEqualTo(Level.CRITICAL);
        assertThat(LevelPolicy.measured(100, 2_100, 0, 0.5)).isEqualTo(Level.SURVIVAL);
        assertThat(LevelPolicy.measured(100, 10, 0.06, 0.5)).isEqualTo(Level.SURVIVAL);
    }

    @Test
    void measured_ignoresLatencyAndErrorsOfAFewRequests_butNotCpu() {
        assertThat(LevelPolicy.measured(5, 5_000, 1.0, 0.5)).isEqualTo(Level.NORMAL);
        assertThat(LevelPolicy.measured(5, 5_000, 1.0, 0.9)).isEqualTo(Level.WARNING);
    }

    @Test
    void next_raisesAfterConsecutiveMeasurements_andLowersOneStepAtATime() {
        LevelPolicy policy = new LevelPolicy(2, 3);

        assertThat(policy.next(Level.CRITICAL)).isEqualTo(Level.NORMAL);
        assertThat(policy.next(Level.NORMAL))
                .as("a single spike does not count")
                .isEqualTo(Level.NORMAL);
        assertThat(policy.next(Level.CRITICAL)).isEqualTo(Level.NORMAL);
        assertThat(policy.next(Level.CRITICAL)).isEqualTo(Level.CRITICAL);

        assertThat(policy.next(Level.NORMAL)).isEqualTo(Level.CRITICAL);
        assertThat(policy.next(Level.NORMAL)).isEqualTo(Level.CRITICAL);
        assertThat(policy.next(Level.NORMAL)).isEqualTo(Level.WARNING);
        assertThat(policy.next(Level.NORMAL)).isEqualTo(Level.WARNING);
        assertThat(policy.next(Level.WARNING))
                .as("back at the level: the count starts over")
                .isEqualTo(Level.WARNING);
        for (int i = 0; i < 3; i++) {
            policy.next(Level.NORMAL);
        }
        assertThat(policy.current()).isEqualTo(Level.ADVISORY);
    }

    @Test
    void levels_switchFeaturesOffCheapestFirst() {
        assertThat(Level.NORMAL.switchedOff()).isEmpty();
        assertThat(Level.ADVISORY.switchedOff())
                .containsExactlyInAnyOrder(Level.Feature.EARLY_REFRESH, Level.Feature.WARMING);
        assertThat(Level.WARNING.allows(Level.Feature.STATISTICS)).isFalse();
        assertThat(Level.WARNING.allows(Level.Feature.FRESH_READS)).isTrue();
        assertThat(Level.CRITICAL.allows(Level.Feature.FRESH_READS)).isFalse();
        assertThat(Level.CRITICAL.allows(Level.Feature.WRITES)).isTrue();
        assertThat(Level.SURVIVAL.allows(Level.Feature.WRITES)).isFalse();
        for (int i = 1; i < Level.values().length; i++) {
            assertThat(Level.values()[i].switchedOff()).containsAll(Level.values()[i - 1].switchedOff());
        }
    }
}

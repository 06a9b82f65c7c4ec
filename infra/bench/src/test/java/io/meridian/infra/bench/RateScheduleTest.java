package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateScheduleTest {

    @Test
    void at_spacesWritesEvenlyFromTheStart() {
        RateSchedule schedule = new RateSchedule(1_000, 1000, Duration.ofSeconds(1));

        assertThat(schedule.at(0)).isEqualTo(1_000);
        assertThat(schedule.at(1)).isEqualTo(1_000 + 1_000_000);
        assertThat(schedule.at(999)).isEqualTo(1_000 + 999_000_000);
        assertThat(schedule.total()).isEqualTo(1000);
    }

    @Test
    void dueBy_countsWritesWhoseTimeHasCome() {
        RateSchedule schedule = new RateSchedule(0, 1000, Duration.ofSeconds(1));

        assertThat(schedule.dueBy(-1)).isZero();
        assertThat(schedule.dueBy(0)).isEqualTo(1);
        assertThat(schedule.dueBy(999_999)).isEqualTo(1);
        assertThat(schedule.dueBy(1_000_000)).isEqualTo(2);
        assertThat(schedule.dueBy(Long.MAX_VALUE / 2)).isEqualTo(1000);
    }

    @Test
    void dueBy_agreesWithAt_forRatesThatDoNotDivideASecond() {
        RateSchedule schedule = new RateSchedule(5, 3, Duration.ofSeconds(2));

        assertThat(schedule.total()).isEqualTo(6);
        for (long i = 0; i < schedule.total(); i++) {
            assertThat(schedule.dueBy(schedule.at(i)))
                    .as("due at write %d's own time", i)
                    .isEqualTo(i + 1);
            assertThat(schedule.dueBy(schedule.at(i) - 1))
                    .as("just before write %d", i)
                    .isEqualTo(i);
        }
    }

    @Test
    void total_ofALongRunAtTheTargetRate_isExact() {
        RateSchedule schedule = new RateSchedule(0, 5000, Duration.ofSeconds(35));

        assertThat(schedule.total()).isEqualTo(175_000);
        assertThat(schedule.at(174_999)).isLessThan(Duration.ofSeconds(35).toNanos());
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThatThrownBy(() -> new RateSchedule(0, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

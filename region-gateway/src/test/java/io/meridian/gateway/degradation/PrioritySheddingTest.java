package io.meridian.gateway.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.concurrency.limits.Limiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrioritySheddingTest {

    @Test
    void atTheLimit_lowerPrioritiesAreShedFirst_andPriorityOneNever() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        PriorityShedding shedding = new PriorityShedding(true, 20, 20, 20, metrics);
        List<Limiter.Listener> held = new ArrayList<>();

        for (int i = 0; i < 15; i++) {
            held.add(shedding.admit(4).orElseThrow());
        }
        assertThat(shedding.admit(4))
                .as("priority 4 may use three quarters of 20")
                .isEmpty();
        for (int i = 0; i < 3; i++) {
            held.add(shedding.admit(3).orElseThrow());
        }
        assertThat(shedding.admit(3)).as("priority 3 may use nine tenths").isEmpty();
        held.add(shedding.admit(2).orElseThrow());
        held.add(shedding.admit(2).orElseThrow());
        assertThat(shedding.admit(2)).as("priority 2 may use it all").isEmpty();
        for (int i = 0; i < 50; i++) {
            assertThat(shedding.admit(1)).isPresent();
        }

        held.forEach(Limiter.Listener::onSuccess);
        assertThat(shedding.admit(4)).isPresent();
        assertThat(metrics.counter("meridian.shed", "priority", "4").count()).isEqualTo(1);
        assertThat(metrics.counter("meridian.shed", "priority", "2").count()).isEqualTo(1);
    }

    @Test
    void switchedOff_admitsEverything() {
        PriorityShedding shedding = new PriorityShedding(false, 20, 20, 20, new SimpleMeterRegistry());

        for (int i = 0; i < 100; i++) {
            Optional<Limiter.Listener> admitted = shedding.admit(4);
            assertThat(admitted).isPresent();
        }
    }
}

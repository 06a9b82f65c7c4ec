package io.meridian.replicator.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ApplyPermitsTest {

    @Test
    void run_pastTheLimit_waitsAndStartsInArrivalOrderAsPermitsReturn() {
        ApplyPermits permits = new ApplyPermits(2);
        List<UniEmitter<? super Integer>> started = new CopyOnWriteArrayList<>();
        List<Integer> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            permits.run(() -> Uni.createFrom().<Integer>emitter(started::add))
                    .subscribe()
                    .with(results::add, failure -> results.add(-1));
        }

        assertThat(started).hasSize(2);
        assertThat(permits.inFlight()).isEqualTo(2);

        started.get(0).complete(0);
        started.get(1).fail(new IllegalStateException("refused"));

        assertThat(started).hasSize(4);
        started.get(2).complete(2);
        started.get(3).complete(3);
        started.get(4).complete(4);

        assertThat(results).containsExactly(0, -1, 2, 3, 4);
        assertThat(permits.inFlight()).isZero();
    }

    @Test
    void run_manyWaitingAppliesEndingAtOnce_doNotNestOneFramePerApply() {
        ApplyPermits permits = new ApplyPermits(1);
        List<UniEmitter<? super Integer>> first = new CopyOnWriteArrayList<>();
        List<Integer> results = new ArrayList<>();
        permits.run(() -> Uni.createFrom().<Integer>emitter(first::add))
                .subscribe()
                .with(results::add);
        for (int i = 1; i <= 100_000; i++) {
            int value = i;
            permits.run(() -> Uni.createFrom().item(value)).subscribe().with(results::add);
        }
        assertThat(results).isEmpty();

        first.get(0).complete(0);

        assertThat(results).hasSize(100_001);
        assertThat(permits.inFlight()).isZero();
    }

    @Test
    void limit_belowOne_isRefused() {
        assertThatThrownBy(() -> new ApplyPermits(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

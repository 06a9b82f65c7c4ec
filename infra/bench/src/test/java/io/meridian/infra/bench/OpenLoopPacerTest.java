package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {

    private static final long MS = 1_000_000;

    /** Records what the pacer did. */
    private static final class Recorder implements OpenLoopPacer.Sender {
        final List<Long> sent = new ArrayList<>();
        final List<Long> skipped = new ArrayList<>();

        @Override
        public void send(long index, long dueNanos) {
            sent.add(index);
        }

        @Override
        public void skip(long index, long dueNanos) {
            skipped.add(index);
        }
    }

    @Test
    void tick_sendsEveryWriteDueSoFar_andNothingEarly() {
        OpenLoopPacer pacer = new OpenLoopPacer(new RateSchedule(0, 1000, Duration.ofMillis(10)), 100);
        Recorder sender = new Recorder();

        pacer.tick(2 * MS, 0, sender);

        assertThat(sender.sent).containsExactly(0L, 1L, 2L);
        assertThat(sender.skipped).isEmpty();
        assertThat(pacer.finished()).isFalse();
    }

    @Test
    void tick_afterAStall_sendsTheBacklogAtOnce_insteadOfSlowingDown() {
        OpenLoopPacer pacer = new OpenLoopPacer(new RateSchedule(0, 1000, Duration.ofMillis(10)), 100);
        Recorder sender = new Recorder();
        pacer.tick(0, 0, sender);

        // Answers are late (50 writes unanswered) and the tick itself came 7 ms late: still every due write goes.
        pacer.tick(7 * MS, 50, sender);

        assertThat(sender.sent).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void tick_atTheInFlightCap_skipsAndCounts_thenSendsAgainWhenAnswersCome() {
        OpenLoopPacer pacer = new OpenLoopPacer(new RateSchedule(0, 1000, Duration.ofMillis(10)), 3);
        Recorder sender = new Recorder();

        pacer.tick(4 * MS, 1, sender);
        assertThat(sender.sent).containsExactly(0L, 1L);
        assertThat(sender.skipped).containsExactly(2L, 3L, 4L);

        pacer.tick(5 * MS, 0, sender);
        assertThat(sender.sent).containsExactly(0L, 1L, 5L);
    }

    @Test
    void tick_pastTheEnd_handlesEachWriteOnce_andFinishes() {
        OpenLoopPacer pacer = new OpenLoopPacer(new RateSchedule(0, 1000, Duration.ofMillis(10)), 100);
        Recorder sender = new Recorder();

        boolean finished = pacer.tick(Duration.ofSeconds(5).toNanos(), 0, sender);
        pacer.tick(Duration.ofSeconds(6).toNanos(), 0, sender);

        assertThat(finished).isTrue();
        assertThat(sender.sent).hasSize(10).doesNotHaveDuplicates();
        assertThat(pacer.handled()).isEqualTo(10);
    }
}

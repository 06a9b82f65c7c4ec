package io.meridian.infra.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The hang check: a request without an answer is a hang when it waited the client timeout outside the drill process's
 * own stalls, and the watch finds a stall in the clock it is given.
 */
class ProcessStallsTest {

    private static final long TIMEOUT = 3_900;

    @Test
    void anUnansweredRequestWithoutStalls_isAHangOnceItWaitedTheTimeout() {
        List<DrillHistory.Op> ops = List.of(unanswered(1_000, 5_000), unanswered(1_000, 4_000), answered(0, 9_000));

        assertThat(ProcessStalls.hung(ops, List.of(), TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aStallInsideTheWait_isNotCountedAsWaitingForTheGateway() {
        // The run the check was written for: 15.1 s without an answer, 12.8 s of it with the drill's process stopped.
        List<ProcessStalls.Stall> stalls = List.of(new ProcessStalls.Stall(26_570, 39_340));

        assertThat(ProcessStalls.hung(List.of(unanswered(26_540, 41_630)), stalls, TIMEOUT))
                .isZero();
    }

    @Test
    void aGatewayThatStaysSilentBeyondTheStall_isStillAHang() {
        List<ProcessStalls.Stall> stalls =
                List.of(new ProcessStalls.Stall(2_000, 3_000), new ProcessStalls.Stall(20_000, 30_000));

        assertThat(ProcessStalls.hung(List.of(unanswered(1_000, 10_000)), stalls, TIMEOUT))
                .isEqualTo(1);
        assertThat(ProcessStalls.overlapMillis(stalls, 1_000, 10_000)).isEqualTo(1_000);
        assertThat(ProcessStalls.overlapMillis(stalls, 25_000, 40_000)).isEqualTo(5_000);
    }

    @Test
    void theWatch_recordsAClockThatJumped() throws Exception {
        AtomicLong clock = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        // Every read moves the clock by one tick; the 50th read jumps a second ahead, as after a pause of the process.
        ProcessStalls watch = new ProcessStalls(() -> clock.addAndGet(
                reads.incrementAndGet() == 50 ? 1_000 + ProcessStalls.TICK_MILLIS : ProcessStalls.TICK_MILLIS));
        watch.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (watch.stalls().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        List<ProcessStalls.Stall> stalls = watch.stop();

        assertThat(stalls).hasSize(1);
        assertThat(stalls.get(0).millis()).isEqualTo(1_000);
    }

    private static DrillHistory.Op unanswered(long invoke, long complete) {
        return op(invoke, complete, 0, DrillHistory.Outcome.INDETERMINATE);
    }

    private static DrillHistory.Op answered(long invoke, long complete) {
        return op(invoke, complete, 503, DrillHistory.Outcome.FAILED);
    }

    private static DrillHistory.Op op(long invoke, long complete, int status, DrillHistory.Outcome outcome) {
        return new DrillHistory.Op(
                invoke,
                complete,
                0,
                "ap-south",
                DrillHistory.Kind.PUT,
                "k",
                "v",
                null,
                status,
                outcome,
                null,
                null,
                null,
                null);
    }
}

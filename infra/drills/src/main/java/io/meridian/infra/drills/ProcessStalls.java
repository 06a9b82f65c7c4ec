package io.meridian.infra.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The times the drill's own process did not run: a thread that wakes every {@link #TICK_MILLIS} and records each
 * wake-up that came much later than asked (a collection pause of this JVM, or the whole machine stopped). A request
 * that was waiting through such a stall did not wait for the gateway for all of its latency, so the hang check
 * subtracts the stall from it; a gateway that does not answer still shows as a hang, since its time without an
 * answer outside the stalls reaches the client timeout. The stalls are reported, so a run that had them says so.
 */
final class ProcessStalls {

    static final long TICK_MILLIS = 20;
    /** A wake-up this much later than asked is a stall; shorter delays are ordinary scheduling. */
    static final long STALL_MILLIS = 250;

    /** A time the process did not run, in the workload's clock. */
    record Stall(long fromMillis, long toMillis) {
        long millis() {
            return toMillis - fromMillis;
        }
    }

    private final LongSupplier clock;
    private final List<Stall> stalls = new ArrayList<>();
    private volatile boolean stopping;
    private Thread thread;

    /** @param clock the workload's clock, in milliseconds, the one its requests are timed with */
    ProcessStalls(LongSupplier clock) {
        this.clock = clock;
    }

    void start() {
        thread = new Thread(this::watch, "drill-stall-watch");
        thread.setDaemon(true);
        thread.start();
    }

    List<Stall> stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(1_000);
        }
        return stalls();
    }

    synchronized List<Stall> stalls() {
        return List.copyOf(stalls);
    }

    synchronized void record(Stall stall) {
        stalls.add(stall);
    }

    private void watch() {
        long last = clock.getAsLong();
        while (!stopping) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = clock.getAsLong();
            if (now - last - TICK_MILLIS >= STALL_MILLIS) {
                record(new Stall(last + TICK_MILLIS, now));
            }
            last = now;
        }
    }

    /** @return how much of {@code [from, to]} the process spent in {@code stalls} */
    static long overlapMillis(List<Stall> stalls, long from, long to) {
        long overlap = 0;
        for (Stall stall : stalls) {
            overlap += Math.max(0, Math.min(to, stall.toMillis()) - Math.max(from, stall.fromMillis()));
        }
        return overlap;
    }

    /**
     * @return the requests that got no answer and waited at least {@code timeoutMillis} for one outside the stalls
     */
    static long hung(List<DrillHistory.Op> ops, List<Stall> stalls, long timeoutMillis) {
        return ops.stream()
                .filter(op -> op.status() == 0)
                .filter(op -> op.latencyMillis() - overlapMillis(stalls, op.invokeMillis(), op.completeMillis())
                        >= timeoutMillis)
                .count();
    }
}

package io.meridian.infra.bench;

/**
 * Drives a {@link RateSchedule} from a periodic tick: at each tick every write that has come due is sent, however late
 * earlier answers are (an open loop, so a slow server shows as latency and a lower achieved rate instead of silently
 * lowering the offered load). A write that comes due while {@code maxInFlight} writes are unanswered is skipped, not
 * queued: the cap bounds the generator's memory and connections, and the skips are counted and reported.
 */
final class OpenLoopPacer {

    /** What the pacer does with each due write. */
    public interface Sender {

        /** Sends write {@code index}, due at {@code dueNanos}; it counts as in flight until its answer. */
        void send(long index, long dueNanos);

        /** Write {@code index}, due at {@code dueNanos}, was not sent: the in-flight cap was reached. */
        void skip(long index, long dueNanos);
    }

    private final RateSchedule schedule;
    private final int maxInFlight;
    private long next;

    public OpenLoopPacer(RateSchedule schedule, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive");
        }
        this.schedule = schedule;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Sends or skips every write due by {@code nowNanos} that has not been handled yet.
     *
     * @param inFlight writes unanswered before this tick
     * @return true once every write of the schedule has been handled
     */
    public boolean tick(long nowNanos, int inFlight, Sender sender) {
        long due = schedule.dueBy(nowNanos);
        int open = inFlight;
        while (next < due) {
            long dueNanos = schedule.at(next);
            if (open >= maxInFlight) {
                sender.skip(next, dueNanos);
            } else {
                sender.send(next, dueNanos);
                open++;
            }
            next++;
        }
        return finished();
    }

    /** Whether every write of the schedule has been sent or skipped. */
    public boolean finished() {
        return next >= schedule.total();
    }

    /** Writes handled so far (sent or skipped). */
    public long handled() {
        return next;
    }
}

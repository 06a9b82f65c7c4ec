package io.meridian.coherence.simulation;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Discrete-event time for the simulation: tasks run in order of their (true, unskewed) time, ties in the order they
 * were scheduled, so a run is a pure function of its seed. Single-threaded.
 */
final class Scheduler {

    private record Task(long at, long sequence, Runnable action) {}

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparingLong(Task::at).thenComparingLong(Task::sequence));
    private long now;
    private long sequence;

    Scheduler(long startMillis) {
        this.now = startMillis;
    }

    /** @return the true time: what every region's skewed wall clock deviates from */
    long now() {
        return now;
    }

    void at(long timeMillis, Runnable action) {
        queue.add(new Task(Math.max(timeMillis, now), sequence++, action));
    }

    void after(long delayMillis, Runnable action) {
        at(now + delayMillis, action);
    }

    /** Runs every task due at or before {@code untilMillis}, then sets the time to it. */
    void runUntil(long untilMillis) {
        while (!queue.isEmpty() && queue.peek().at() <= untilMillis) {
            runNext();
        }
        now = Math.max(now, untilMillis);
    }

    /** Runs tasks until none is left; fails if that takes longer than {@code limitMillis} of simulated time. */
    void runAll(long limitMillis) {
        long deadline = now + limitMillis;
        while (!queue.isEmpty()) {
            if (queue.peek().at() > deadline) {
                throw new IllegalStateException("tasks still pending " + limitMillis + " ms after the run ended");
            }
            runNext();
        }
    }

    private void runNext() {
        Task task = queue.poll();
        now = task.at();
        task.action().run();
    }
}

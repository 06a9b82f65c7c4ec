package io.meridian.replicator.ingest;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * A bound on the applies in flight at once, shared by every consumer of the replicator (the default channel and one
 * consumer per source read from a cluster of its own). Each consumer applies a whole poll, up to 1000 records, at
 * once; with several consumers catching up together (after a restart, after a network partition) their sum would
 * overflow the Redis client's wait queue, and every refused apply would then wait out a retry back-off. Applies past
 * the bound wait here instead, in arrival order, and start as soon as one in flight ends.
 */
final class ApplyPermits {

    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean draining;

    ApplyPermits(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the apply concurrency must be at least 1, not " + limit);
        }
        this.limit = limit;
    }

    /** Runs {@code work} once a permit is free; the permit is returned when its result, failure or cancellation comes. */
    <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                waiting.add(() -> work.get()
                        .onTermination()
                        .invoke(this::release)
                        .subscribe()
                        .with(emitter::complete, emitter::fail));
            }
            drain();
        });
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private void release() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }

    /**
     * Starts waiting applies while permits are free. One thread drains at a time, in a loop rather than by recursion:
     * an apply that ends at once (a failure, a cached answer) releases its permit inside {@code next.run()}, and a
     * release that started the next apply itself would nest one stack frame per waiting apply.
     */
    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                if (draining || inFlight >= limit || waiting.isEmpty()) {
                    return;
                }
                next = waiting.poll();
                inFlight++;
                draining = true;
            }
            try {
                next.run();
            } finally {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }
}

package io.meridian.coherence.simulation;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-key locks under which a home executes writes: check, version, log append, apply. A lock goes to waiters in
 * the order they asked. Single-threaded like the rest of the model: a waiter runs as a task of the {@link Scheduler}.
 */
final class KeyLocks {

    private record Waiter(long request, Runnable onAcquired) {}

    private static final class Lock {
        long owner = -1;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    }

    private final Scheduler time;
    private final Map<String, Lock> locks = new HashMap<>();

    KeyLocks(Scheduler time) {
        this.time = time;
    }

    /** Runs {@code onAcquired} once {@code request} holds the lock of {@code key} in {@code region}. */
    void acquire(Region region, String key, long request, Runnable onAcquired) {
        Lock lock = locks.computeIfAbsent(name(region, key), name -> new Lock());
        if (lock.owner < 0) {
            lock.owner = request;
            onAcquired.run();
        } else {
            lock.waiters.add(new Waiter(request, onAcquired));
        }
    }

    /** Lets the lock go if {@code request} holds it; the next waiter takes it. */
    void release(Region region, String key, long request) {
        Lock lock = locks.get(name(region, key));
        if (lock == null || lock.owner != request) {
            return;
        }
        Waiter next = lock.waiters.poll();
        if (next == null) {
            lock.owner = -1;
            return;
        }
        lock.owner = next.request();
        time.after(0, next.onAcquired());
    }

    boolean holds(Region region, String key, long request) {
        Lock lock = locks.get(name(region, key));
        return lock != null && lock.owner == request;
    }

    /** @return true when some key that {@code keys} accepts is locked in {@code region} */
    boolean anyHeld(Region region, Predicate<String> keys) {
        String prefix = region.name + "/";
        return locks.entrySet().stream()
                .anyMatch(entry -> entry.getKey().startsWith(prefix)
                        && entry.getValue().owner >= 0
                        && keys.test(entry.getKey().substring(prefix.length())));
    }

    /** A crashed gateway holds nothing: its locks and waiters are gone. */
    void clear(Region region) {
        String prefix = region.name + "/";
        locks.keySet().removeIf(name -> name.startsWith(prefix));
    }

    private static String name(Region region, String key) {
        return region.name + "/" + key;
    }
}

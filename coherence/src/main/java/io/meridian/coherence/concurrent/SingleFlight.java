package io.meridian.coherence.concurrent;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One flight per key at a time: callers that ask for a key while its flight is under way join that flight instead of
 * starting their own (a fill from the home, a load from the origin). The flight is a lazy handle of the caller's
 * choice (a Mutiny {@code Uni}, say) that runs when it is first subscribed and calls the {@code landed} callback it
 * was given when it ends, with any outcome; after that the next caller starts a new one.
 *
 * <p>{@code start} must not run the flight before it returns: the flight is registered after it is built, and a flight
 * that lost the race to register is dropped without ever running. A late {@code landed} never removes a newer flight.
 *
 * @param <K> the key
 * @param <F> the flight's handle
 */
public final class SingleFlight<K, F> {

    private final ConcurrentMap<K, F> flights = new ConcurrentHashMap<>();

    /**
     * @param start builds the flight of {@code key}, given the callback it must call when it ends
     * @return the flight under way for {@code key}, or the one {@code start} built
     */
    public F join(K key, Function<Runnable, F> start) {
        F running = flights.get(key);
        if (running != null) {
            return running;
        }
        AtomicReference<F> self = new AtomicReference<>();
        F built = Objects.requireNonNull(start.apply(() -> {
            F mine = self.get();
            if (mine != null) {
                flights.remove(key, mine);
            }
        }));
        self.set(built);
        F registered = flights.putIfAbsent(key, built);
        return registered != null ? registered : built;
    }

    /** @return whether a flight of {@code key} is under way */
    public boolean inFlight(K key) {
        return flights.containsKey(key);
    }

    /** @return the flights under way */
    public int size() {
        return flights.size();
    }
}

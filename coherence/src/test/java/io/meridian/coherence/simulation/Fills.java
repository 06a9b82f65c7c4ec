package io.meridian.coherence.simulation;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Remote fills ({@code KeyRouter.fill}): read value, version and remaining TTL from the home region in one round trip
 * and keep the copy locally with set-if-newer. The home is read half-way through the round trip, so an invalidation
 * can reach this region between that read and the copy being kept: set-if-newer must refuse the older copy.
 *
 * <p>Concurrent misses for one key in one gateway may share a fill ({@link SimulationConfig.FillCoalescing}).
 */
final class Fills {

    /** The home's copy (null value: absent there) and its remaining TTL as {@code PTTL} reported it. */
    record Fetched(StoredValue value, long remainingTtlMillis) {}

    private record Waiter(SessionToken token, Consumer<Optional<Fetched>> done) {}

    private final Scheduler time;
    private final Network network;
    private final Random random;
    private final long maxLatencyMillis;
    private final SimulationConfig.FillCoalescing coalescing;
    private final Map<String, List<Waiter>> inFlight = new HashMap<>();
    private long count;
    private long refusedByTombstone;

    Fills(
            Scheduler time,
            Network network,
            Random random,
            long maxLatencyMillis,
            SimulationConfig.FillCoalescing coalescing) {
        this.time = time;
        this.network = network;
        this.random = random;
        this.maxLatencyMillis = maxLatencyMillis;
        this.coalescing = coalescing;
    }

    void fill(Region at, Region home, String key, SessionToken token, Consumer<Optional<Fetched>> done) {
        if (coalescing == SimulationConfig.FillCoalescing.NONE) {
            fetch(at, home, key, done);
            return;
        }
        String id = at.name + "/" + key;
        List<Waiter> waiters = inFlight.get(id);
        if (waiters != null) {
            waiters.add(new Waiter(token, done));
            return;
        }
        List<Waiter> shared = new ArrayList<>(List.of(new Waiter(token, done)));
        inFlight.put(id, shared);
        fetch(at, home, key, fetched -> {
            inFlight.remove(id);
            answerWaiters(at, home, key, shared, fetched);
        });
    }

    long count() {
        return count;
    }

    /** @return how many fetched values arrived after a newer tombstone and were refused: the resurrection race */
    long refusedByTombstone() {
        return refusedByTombstone;
    }

    /** The first waiter started the fill after its token was issued; the others joined one that may predate theirs. */
    private void answerWaiters(Region at, Region home, String key, List<Waiter> waiters, Optional<Fetched> fetched) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter waiter = waiters.get(i);
            boolean joined = i > 0;
            if (joined
                    && coalescing == SimulationConfig.FillCoalescing.JOIN_THEN_CHECK_TOKEN
                    && fetched.isPresent()
                    && !satisfies(waiter.token(), home, fetched.get())) {
                fetch(at, home, key, waiter.done());
            } else {
                waiter.done().accept(fetched);
            }
        }
    }

    private static boolean satisfies(SessionToken token, Region home, Fetched fetched) {
        return token.isSatisfiedBy(
                home.name, fetched.value() == null ? null : fetched.value().version());
    }

    /** One round trip; the home is read when the request arrives, the copy kept when the reply does. */
    private void fetch(Region at, Region home, String key, Consumer<Optional<Fetched>> done) {
        count++;
        if (!network.connected(at, home)) {
            done.accept(Optional.empty());
            return;
        }
        time.after(latency(), () -> {
            if (!network.connected(at, home)) {
                done.accept(Optional.empty());
                return;
            }
            ReplicaStore.Entry entry = home.store.get(key);
            Fetched fetched =
                    entry == null ? new Fetched(null, -2) : new Fetched(entry.value(), home.store.remainingTtl(entry));
            time.after(latency(), () -> keep(at, home, key, fetched, done));
        });
    }

    private void keep(Region at, Region home, String key, Fetched fetched, Consumer<Optional<Fetched>> done) {
        if (!network.connected(at, home)) {
            done.accept(Optional.empty());
            return;
        }
        if (fetched.value() != null && !at.store.keepCopy(key, fetched.value(), fetched.remainingTtlMillis())) {
            ReplicaStore.Entry newer = at.store.get(key);
            if (newer != null && newer.value().tombstone() && !fetched.value().tombstone()) {
                refusedByTombstone++;
            }
        }
        done.accept(Optional.of(fetched));
    }

    private long latency() {
        return 1 + random.nextInt((int) maxLatencyMillis);
    }
}

package io.meridian.gateway.conditions;

import io.meridian.coherence.redis.RedisLease;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A short per-key write lock in the home region's Redis ({@code SET meridian:cas:<ns>:<key> NX PX}), held by a
 * conditional write from its check until its event is in the log and applied, so that conditional writes of one key,
 * from any gateway of the region, are decided one at a time. A request that times out does not release it: the write
 * keeps the lock until its append is decided. A holder that dies leaves a lock that expires by itself.
 */
@ApplicationScoped
public class KeyLocks {

    private static final String PREFIX = "meridian:cas:";
    private static final Duration POLL = Duration.ofMillis(5);
    private final RedisLease leases;

    public KeyLocks(Redis redis) {
        this.leases = new RedisLease(redis);
    }

    /**
     * Runs {@code work} holding the key's lock for at most {@code holdFor}, waiting up to {@code waitFor} for it.
     *
     * @throws GatewayFailure 409 {@code write-conflict} when the lock stays taken longer than {@code waitFor}
     */
    public <T> Uni<T> withLock(String ns, String key, Duration holdFor, Duration waitFor, Supplier<Uni<T>> work) {
        String lock = PREFIX + ns + ":" + key;
        String holder = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + waitFor.toNanos();
        return acquire(lock, holder, holdFor, deadline)
                .chain(() -> detached(work.get().onItemOrFailure().call(() -> release(lock, holder))));
    }

    /**
     * Runs {@code work} to its end whatever becomes of the caller: a request that times out cancels what it waits on,
     * but a write holding the lock must keep it until its log append is decided (appended or failed), or the next
     * conditional write of the key would be decided against a state without it.
     */
    private static <T> Uni<T> detached(Uni<T> work) {
        java.util.concurrent.CompletableFuture<T> running =
                work.subscribeAsCompletionStage().toCompletableFuture();
        return Uni.createFrom().completionStage(() -> running.thenApply(item -> item));
    }

    private Uni<Void> acquire(String lock, String holder, Duration holdFor, long deadline) {
        return Uni.createFrom()
                .completionStage(() -> leases.acquire(lock, holder, holdFor).toCompletionStage())
                .chain(taken -> {
                    if (taken) {
                        return Uni.createFrom().voidItem();
                    }
                    if (System.nanoTime() > deadline) {
                        return Uni.createFrom()
                                .failure(new GatewayFailure(
                                        Kind.CONFLICT,
                                        "write-conflict",
                                        "another conditional write of this key is under way; read it and try again",
                                        null));
                    }
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(POLL)
                            .chain(() -> acquire(lock, holder, holdFor, deadline));
                });
    }

    /** Deletes {@code lock} if {@code holder} still holds it; a failure is ignored (the lock expires by itself). */
    public Uni<Boolean> release(String lock, String holder) {
        return Uni.createFrom()
                .completionStage(() -> leases.release(lock, holder).toCompletionStage())
                .onFailure()
                .recoverWithItem(false); // the lock expires by itself
    }
}

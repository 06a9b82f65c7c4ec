package io.meridian.gateway.conditions;

import io.meridian.gateway.api.MeridianException;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
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
    private static final String RELEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final Redis redis;

    public KeyLocks(Redis redis) {
        this.redis = redis;
    }

    /**
     * Runs {@code work} holding the key's lock for at most {@code holdFor}, waiting up to {@code waitFor} for it.
     *
     * @throws MeridianException 409 {@code write-conflict} when the lock stays taken longer than {@code waitFor}
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
        return send(Request.cmd(Command.SET)
                        .arg(lock)
                        .arg(holder)
                        .arg("NX")
                        .arg("PX")
                        .arg(holdFor.toMillis()))
                .chain(taken -> {
                    if (taken != null) {
                        return Uni.createFrom().voidItem();
                    }
                    if (System.nanoTime() > deadline) {
                        return Uni.createFrom()
                                .failure(new MeridianException(
                                        409,
                                        "write-conflict",
                                        "Conflict",
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
        return send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(lock).arg(holder))
                .map(reply -> true)
                .onFailure()
                .recoverWithItem(false); // the lock expires by itself
    }

    private Uni<io.vertx.redis.client.Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }
}

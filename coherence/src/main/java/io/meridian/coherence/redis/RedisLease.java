package io.meridian.coherence.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A lease on one Redis key, held by one holder (a random token) for a TTL: taken with {@code SET key holder NX PX
 * ttl}, extended and released only by its holder ({@code lease_take_or_renew.lua}, {@code lease_release.lua}, run
 * through {@link ScriptRunner}). A holder that dies leaves a lease that expires by itself; a holder whose lease
 * expired cannot release or extend the next holder's. This is the single-instance lock of the Redis documentation
 * ("Distributed Locks with Redis", the single-instance section): good for mutual exclusion as long as the region's
 * Redis keeps its data, which is all Meridian asks of it (a region's leases guard work inside that region).
 */
public final class RedisLease {

    /** What {@link #takeOrRenew} found. */
    public enum Held {
        /** Another holder has the lease. */
        BY_ANOTHER,
        /** The holder had it; it is extended. */
        RENEWED,
        /** It was free; the holder has taken it. */
        TAKEN
    }

    private static final LuaScript TAKE_OR_RENEW = LuaScript.load("lease_take_or_renew");
    private static final LuaScript RELEASE = LuaScript.load("lease_release");

    private final Redis redis;
    private final ScriptRunner scripts;

    public RedisLease(Redis redis) {
        this.redis = redis;
        this.scripts = new ScriptRunner(redis);
    }

    /**
     * @return the request that takes the lease when it is free (its reply is null when another holder has it), for a
     *     caller that sends several in one batch
     */
    public static Request acquireRequest(String key, String holder, Duration ttl) {
        return Request.cmd(Command.SET).arg(key).arg(holder).arg("NX").arg("PX").arg(ttl.toMillis());
    }

    /** @return whether {@code holder} took the lease (it was free) */
    public Future<Boolean> acquire(String key, String holder, Duration ttl) {
        return redis.send(acquireRequest(key, holder, ttl)).map(reply -> reply != null);
    }

    /** Extends the lease when {@code holder} has it, takes it when it is free. */
    public Future<Held> takeOrRenew(String key, String holder, Duration ttl) {
        return scripts.run(TAKE_OR_RENEW, key, List.of(bytes(holder), bytes(Long.toString(ttl.toMillis()))))
                .map(reply -> Held.values()[reply.toInteger()]);
    }

    /** @return whether the lease was released ({@code holder} still had it) */
    public Future<Boolean> release(String key, String holder) {
        return scripts.run(RELEASE, key, List.of(bytes(holder))).map(reply -> reply.toInteger() == 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

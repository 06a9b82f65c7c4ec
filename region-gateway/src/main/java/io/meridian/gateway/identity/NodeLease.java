package io.meridian.gateway.identity;

import io.meridian.coherence.redis.RedisLease;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * This gateway's node number within its region, leased from the region's Redis so that no two live gateways of a
 * region mint versions under the same origin (equal versions for different values would never converge).
 *
 * <ul>
 *   <li>Without {@code meridian.node-id}, the gateway takes the lowest free number (0..254) with a lease key {@code
 *       meridian:node:<region>:<n>} that it renews every {@code node-lease.renew-every}; a lease not renewed expires
 *       after {@code node-lease.ttl}, so a crashed gateway's number is free again after that.
 *   <li>With {@code meridian.node-id}, it takes that number or refuses to start: a number still held by a live gateway
 *       after one lease lifetime (a crashed holder's lease would have expired) fails the start with a clear error.
 *   <li>A number that was free (never taken, expired, or lost with the Redis's data) is used only after {@code
 *       node-lease.fresh-wait} (the TTL): a gateway stops minting versions as soon as its lease may have lapsed (one
 *       renewal period before its TTL), so by then any former holder has stopped, and one whose lease Redis lost in a
 *       flush has tried to renew, found another holder and taken a new number (or, with a configured number, refuses
 *       writes until it is back).
 * </ul>
 *
 * While no number is held, writes are answered 503 {@code node-identity} and readiness is down.
 */
@ApplicationScoped
public class NodeLease {

    private static final Logger LOG = Logger.getLogger(NodeLease.class);

    /** The node number reserved for the region's event-buffer relay. */
    public static final int RELAY_NODE = 255;

    private final RedisLease leases;
    private final Vertx vertx;
    private final String region;
    private final Optional<Integer> configured;
    private final Duration ttl;
    private final Duration renewEvery;
    private final Duration freshWait;
    private final LongSupplier nanos;
    private final String holder;
    private volatile int held = -1;
    private volatile long validUntil;
    private volatile long usableFrom;
    private volatile String problem = "no node number leased yet";
    private long timer = -1;

    @jakarta.inject.Inject
    public NodeLease(Redis redis, Vertx vertx, MeridianConfig config) {
        this(
                redis,
                vertx,
                config.region(),
                config.nodeId(),
                config.nodeLease().ttl(),
                config.nodeLease().renewEvery(),
                config.nodeLease().freshWait(),
                System::nanoTime);
    }

    NodeLease(
            Redis redis,
            Vertx vertx,
            String region,
            Optional<Integer> configured,
            Duration ttl,
            Duration renewEvery,
            Duration freshWait,
            LongSupplier nanos) {
        configured.ifPresent(id -> {
            if (id < 0 || id >= RELAY_NODE) {
                throw new IllegalStateException("meridian.node-id must be 0.." + (RELAY_NODE - 1) + ", was " + id + " ("
                        + RELAY_NODE + " is reserved for the event-buffer relay)");
            }
        });
        if (renewEvery.multipliedBy(3).compareTo(ttl) > 0) {
            throw new IllegalStateException("meridian.node-lease.ttl (" + ttl
                    + ") must be at least three times meridian.node-lease.renew-every (" + renewEvery + ")");
        }
        this.leases = new RedisLease(redis);
        this.vertx = vertx;
        this.region = region;
        this.configured = configured;
        this.ttl = ttl;
        this.renewEvery = renewEvery;
        this.freshWait = freshWait;
        this.nanos = nanos;
        this.holder = UUID.randomUUID().toString().substring(0, 8) + "@"
                + ManagementFactory.getRuntimeMXBean().getName();
    }

    void start(@Observes StartupEvent start) {
        // A configured number still held once a crashed holder's lease would have expired belongs to a live gateway.
        long deadline = nanos.getAsLong() + ttl.plus(renewEvery).toNanos();
        while (true) {
            try {
                if (acquire().await().atMost(ttl)) {
                    break;
                }
            } catch (RuntimeException redisAway) {
                LOG.warnf("cannot lease a node number yet (%s); writes are refused until one is held", redisAway);
                break;
            }
            if (nanos.getAsLong() > deadline) {
                throw new IllegalStateException(problem);
            }
            sleep(renewEvery);
        }
        timer = vertx.setPeriodic(renewEvery.toMillis(), id -> renew());
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        int id = held;
        held = -1;
        if (id >= 0) {
            try {
                Uni.createFrom()
                        .completionStage(() -> leases.release(key(id), holder).toCompletionStage())
                        .await()
                        .atMost(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("lease %s not released (it expires by itself): %s", key(id), e);
            }
        }
    }

    /** Stops renewing without releasing the lease, as a process that crashed: its number is free after the TTL. */
    void abandon() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /**
     * @return this gateway's node number, for the version origin
     * @throws GatewayFailure 503 {@code node-identity} while no number is held, or its lease may have lapsed
     */
    public int nodeId() {
        int id = held;
        long now = nanos.getAsLong();
        if (id < 0) {
            throw GatewayFailure.unavailable("node-identity", problem);
        }
        if (now - validUntil > 0) {
            throw GatewayFailure.unavailable(
                    "node-identity", "the lease of node number " + id + " could not be renewed in time");
        }
        if (now - usableFrom < 0) {
            throw GatewayFailure.unavailable(
                    "node-identity", "node number " + id + " was just taken; it is usable in a moment");
        }
        return id;
    }

    /** @return whether a node number is held and usable now */
    public boolean ready() {
        try {
            nodeId();
            return true;
        } catch (GatewayFailure notYet) {
            return false;
        }
    }

    /** @return the node number held, or -1, whether usable yet or not */
    public int held() {
        return held;
    }

    /** Renews the lease, or takes a number when none is held. Runs on the Vert.x timer. */
    void renew() {
        int id = held;
        Uni<Boolean> attempt = id < 0
                ? acquire()
                : takeOrRenew(id).map(outcome -> {
                    if (outcome == RedisLease.Held.BY_ANOTHER) {
                        held = -1;
                        problem = "node number " + id + " of " + region + " is now held by another gateway";
                        LOG.errorf("%s: this gateway stops writing under it and leases another", problem);
                        return false;
                    }
                    long now = nanos.getAsLong();
                    validUntil = now + ttl.minus(renewEvery).toNanos();
                    if (outcome == RedisLease.Held.TAKEN) {
                        LOG.warnf("the lease of node number %d had gone (Redis lost its data?); taken again", id);
                    }
                    return true;
                });
        attempt.subscribe().with(ok -> {}, failure -> LOG.debugf("node lease not renewed yet: %s", failure));
    }

    /** Tries the configured number, or every number from the lowest; true when one is held. */
    private Uni<Boolean> acquire() {
        List<Integer> candidates = new ArrayList<>();
        if (configured.isPresent()) {
            candidates.add(configured.get());
        } else {
            for (int id = 0; id < RELAY_NODE; id++) {
                candidates.add(id);
            }
        }
        return tryEach(candidates, 0);
    }

    private Uni<Boolean> tryEach(List<Integer> candidates, int index) {
        if (index >= candidates.size()) {
            problem = configured.isPresent()
                    ? "meridian.node-id=" + configured.get() + " is in use by another live gateway of region " + region
                            + "; give each gateway its own node id, or leave meridian.node-id unset to lease one"
                    : "every node number of region " + region + " is in use";
            return Uni.createFrom().item(false);
        }
        int id = candidates.get(index);
        return takeOrRenew(id).chain(outcome -> {
            if (outcome == RedisLease.Held.BY_ANOTHER) {
                return tryEach(candidates, index + 1);
            }
            long now = nanos.getAsLong();
            validUntil = now + ttl.minus(renewEvery).toNanos();
            usableFrom = outcome == RedisLease.Held.TAKEN ? now + freshWait.toNanos() : now;
            held = id;
            LOG.infof("node number %d of %s leased (%s)", id, region, holder);
            return Uni.createFrom().item(true);
        });
    }

    private Uni<RedisLease.Held> takeOrRenew(int id) {
        return Uni.createFrom()
                .completionStage(() -> leases.takeOrRenew(key(id), holder, ttl).toCompletionStage());
    }

    private String key(int id) {
        return "meridian:node:" + region + ":" + id;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while leasing a node number", e);
        }
    }
}

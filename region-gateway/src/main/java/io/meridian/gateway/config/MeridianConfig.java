package io.meridian.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of one region's gateway. The same image runs in every region; {@link #region()} and the Redis and
 * Kafka addresses differ per deployment (environment variables or a properties file).
 *
 * <p>Over 300 lines because it is the one mapping of every {@code meridian.*} setting with its default and its
 * documentation, which docs/operations.md follows; it holds no logic.
 */
@ConfigMapping(prefix = "meridian")
public interface MeridianConfig {

    /** Name of the region this gateway serves, e.g. {@code us-east}. Must be a key of {@link #regions()}. */
    String region();

    /**
     * Number of this gateway within its region (0..254); with the region's id it forms the version origin. 255 is
     * reserved for the region's event-buffer relay. Leave it unset to lease a free number from the region's Redis
     * (see {@code identity.NodeLease}); a configured number is leased too, and a gateway whose number is held by
     * another live gateway refuses to start.
     */
    Optional<Integer> nodeId();

    /** The lease of this gateway's node number. */
    NodeLeaseConfig nodeLease();

    /** How node numbers are leased. */
    interface NodeLeaseConfig {

        /** How long a lease lives without renewal: a crashed gateway's number is free again after it. */
        @WithDefault("5s")
        Duration ttl();

        /** How often the lease is renewed; at most a third of the TTL. */
        @WithDefault("1s")
        Duration renewEvery();

        /**
         * How long a number that was free is held before versions are minted under it: long enough for a gateway
         * that held it until its lease lapsed, or until Redis lost it, to have stopped using it (the TTL).
         */
        @WithDefault("5s")
        Duration freshWait();
    }

    /** Every region of the deployment, this one included, by name. */
    Map<String, RegionConfig> regions();

    /** Namespaces by name. */
    Map<String, NamespaceConfig> namespaces();

    /** This gateway's hybrid logical clock. */
    ClockConfig clock();

    /** The hybrid logical clock's bounds. */
    interface ClockConfig {

        /**
         * How far ahead of this gateway's wall clock a version seen elsewhere (a stored version a conditional write is
         * decided against, a recorded purge) may be and still be merged into the clock; a version further ahead is
         * refused with a clear error and counted in {@code meridian_clock_offset_refusals_total}, never adopted. As
         * CockroachDB's {@code max-offset}; keep it above the clocks' real skew (NTP keeps it to milliseconds).
         */
        @WithDefault("500ms")
        Duration maxOffset();
    }

    /** Longest time a request may take before it is answered 503; covers Redis and Kafka calls. */
    @WithDefault("2s")
    Duration requestTimeout();

    /**
     * Most writes (puts and deletes, forwarded ones included) one gateway has under way at once; a write beyond it is
     * answered 503 {@code overloaded} at once. Without a bound an overloaded gateway queues writes until each one
     * times out, and its throughput collapses instead of staying at what Kafka and Redis can take.
     */
    @WithDefault("256")
    int maxWritesInFlight();

    /** The adaptive limit on writes under way, below {@link #maxWritesInFlight()}. */
    WriteLimitConfig writeLimit();

    /**
     * The adaptive limit on writes ({@code degradation.WriteLimit}): it follows the writes' latency between a floor
     * and {@code max-writes-in-flight}.
     */
    interface WriteLimitConfig {

        /** Whether the limit follows latency; off, it stays at {@code max-writes-in-flight}. */
        @WithDefault("true")
        boolean adaptive();

        /** The limit at start. */
        @WithDefault("64")
        int initial();

        /**
         * The least the limit falls to. On a saturated machine latency swings enough for Gradient2 to shrink the limit
         * below an ordinary client concurrency (50 writes at once were refused in part); the floor keeps that
         * concurrency admitted, and the limit adapts above it.
         */
        @WithDefault("64")
        int min();
    }

    /** Value of {@code Retry-After} on 503 answers. */
    @WithDefault("1s")
    Duration retryAfter();

    /**
     * How long a tombstone outlives a delete. It must exceed the longest replication delay, or a late copy carrying
     * an older version could be stored again after the tombstone expired.
     */
    @WithDefault("10m")
    Duration tombstoneTtl();

    /** Most keys one {@code keys:mget} request may ask for. */
    @WithDefault("100")
    int mgetMaxKeys();

    /** Shared secret of the inter-region API. */
    Optional<String> internalSecret();

    /** The event log. */
    EventLogConfig eventLog();

    /** Session tokens (read-your-writes). */
    SessionConfig session();

    /** Planned handovers and automatic failover of home regions. */
    HandoverConfig handover();

    /**
     * How this gateway learns that a home region has handed its keys over (planned: {@code ./meridian region}) or is
     * down (for namespaces with {@code region-outage-policy=failover}).
     */
    interface HandoverConfig {

        /** How often the handover states in this region's Redis are read. */
        @WithDefault("250ms")
        Duration refresh();

        /** How often every other region's gateway is probed, for automatic failover. */
        @WithDefault("500ms")
        Duration probeInterval();

        /** Longest a probe may take before it counts as failed; three failed probes in a row make a region down. */
        @WithDefault("1s")
        Duration probeTimeout();
    }

    /** Calls to other regions' gateways: forwarded writes and remote fills. */
    ForwardingConfig forwarding();

    /** Hot-key detection and announcement. */
    HotKeysConfig hotKeys();

    /**
     * Each gateway finds its most read keys per window (count-min sketch and a candidate table) and announces them on
     * {@code meridian.<region>.hotkeys}, so that the other regions' replicators warm them before their own traffic
     * finds them.
     */
    interface HotKeysConfig {

        /** Whether hot keys are tracked and announced. */
        @WithDefault("true")
        boolean enabled();

        /** Length of a window; the hot list is the previous window's. */
        @WithDefault("5s")
        Duration window();

        /** Most keys announced per window. */
        @WithDefault("20")
        int top();

        /** Reads within one window that make a key hot. */
        @WithDefault("100")
        int minReads();

        /**
         * Longest a hot-key replica lives (namespaces with {@code hot-key-replicas}); like the near cache's TTL, the
         * bound on staleness if an invalidation is lost.
         */
        @WithDefault("1s")
        Duration replicaTtl();
    }

    /** The near cache (L1) of each gateway. */
    NearCacheConfig nearCache();

    /** Degradation levels and load shedding. */
    DegradationConfig degradation();

    /**
     * Degradation levels from measured load (thresholds in docs/operations.md) and shedding by request priority
     * ({@code Meridian-Priority} 1 to 4) with an adaptive concurrency limit.
     */
    interface DegradationConfig {

        /** Whether the level follows the measurements; off, it stays NORMAL unless pinned through the admin API. */
        @WithDefault("true")
        boolean automatic();

        /** Evaluations in a row (one per second) that must call for a higher level before it is taken. */
        @WithDefault("2")
        int raiseAfter();

        /** Evaluations in a row below the current level before it steps one level down. */
        @WithDefault("10")
        int lowerAfter();

        /** Whether requests of priority 2 to 4 go through the adaptive concurrency limit. */
        @WithDefault("true")
        boolean shedding();

        /** The concurrency limit's starting point (requests under way in this gateway). */
        @WithDefault("200")
        int initialLimit();

        /** The concurrency limit's ceiling. */
        @WithDefault("2000")
        int maxLimit();

        /** The concurrency limit's floor. */
        @WithDefault("20")
        int minLimit();

        /** At CRITICAL and above, how long after its expiry a value is still answered stale instead of reloaded. */
        @WithDefault("5m")
        Duration staleWindow();
    }

    /**
     * A small in-process cache of the hottest keys in front of Redis, invalidated across the region's gateways (see
     * the {@code nearcache} package).
     */
    interface NearCacheConfig {

        /** Whether gateways keep a near cache at all; each namespace can also turn it off. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Most entries per gateway. Caffeine's W-TinyLFU admission keeps the most frequently read keys when it is
         * full, so a small bound holds the hot keys only.
         */
        @WithDefault("10000")
        int maxEntries();

        /**
         * Longest an entry is served. Invalidations arrive by Redis pub/sub, which can lose messages while a
         * connection is down; this bounds how long a lost one can leave a stale entry.
         */
        @WithDefault("1s")
        Duration ttl();
    }

    /**
     * How long a recorded purge is kept; must exceed every namespace's {@code max-ttl} (checked at start), so that no
     * value a purge covered outlives it. Same meaning as the replicator's.
     */
    @WithDefault("8d")
    Duration purgeRetention();

    /**
     * How often each gateway looks for new purges in its region's purge hash: with the replication lag, the bound on
     * how long a purged copy can still be read in another region.
     */
    @WithDefault("250ms")
    Duration purgeRefresh();

    /** How long an owner-directory entry is cached before it is read again from Redis. */
    @WithDefault("5s")
    Duration ownerCacheTtl();

    /** Time to live of an owner-directory entry; owners are re-registered (e.g. at sign-in) before it ends. */
    @WithDefault("365d")
    Duration ownerEntryTtl();

    /** How often the region's applied watermarks (published by its replicator) are read from Redis. */
    @WithDefault("100ms")
    Duration watermarkRefresh();

    /** Session token signing keys and lifetime. */
    interface SessionConfig {

        /**
         * Signing keys by key id (at least 16 bytes each). Every region must share them. Rotate by adding a key,
         * switching {@link #signingKey()} to it, and removing the old one after {@link #lifetime()}.
         */
        Map<String, String> keys();

        /** Id of the key that signs new tokens. */
        @WithDefault("k1")
        String signingKey();

        /** How long a token stays valid after it was last returned. */
        @WithDefault("24h")
        Duration lifetime();
    }

    /** Inter-region calls. */
    interface ForwardingConfig {

        /**
         * Timeout of one call to another region. Above {@code event-log.produce-timeout}, so that a home whose Kafka
         * is down has time to find that out and keep a forwarded write in its event buffer (policy {@code buffer}).
         */
        @WithDefault("1800ms")
        Duration timeout();

        /** Extra attempts for idempotent calls (deletes, reads); writes are never retried. */
        @WithDefault("1")
        int retries();

        /** Consecutive failures that open a region's circuit breaker. */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open breaker fails calls fast before it lets one through to probe. */
        @WithDefault("5s")
        Duration breakerOpenFor();

        /**
         * Persistent connections kept open to each other region's gateway (HTTP/1.1 keep-alive). Calls beyond them
         * wait for a free one: with too few, forwarded writes queue in this gateway instead of running at the home.
         */
        @WithDefault("64")
        int connectionsPerRegion();
    }

    /** One region of the deployment. */
    interface RegionConfig {

        /** Base URL of the region's gateway, used for forwarding and remote fills. */
        Optional<String> gatewayUrl();

        /** Base URL of the region's replicator (status only). */
        Optional<String> replicatorUrl();

        /**
         * Stable id of the region (0..255), part of every version it writes. Defaults to the region's index in the
         * alphabetically sorted region list, which is the same in every region as long as they share the list.
         */
        Optional<Integer> id();

        /**
         * {@code read-write} (the default) or {@code read-only}: a read-only region serves reads and forwards every
         * write; it is never a key's home (a read replica standing by for another region).
         */
        @WithDefault("read-write")
        String role();
    }

    /** The Kafka topic a home region writes its events to: {@code meridian.<region>.events}. */
    interface EventLogConfig {

        /** Partitions of the region's event topic when the gateway creates it. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of the event topic when the gateway creates it (3 in production). */
        @WithDefault("1")
        short replicationFactor();

        /** Whether the gateway creates its event topic when it is missing (off where topics are provisioned). */
        @WithDefault("true")
        boolean createTopic();

        /**
         * Largest value carried inside an event. A larger value travels as an invalidation only and other regions
         * fill it from the home region.
         */
        @WithDefault("1048576")
        int maxValueBytes();

        /** Upper bound on one produce, including waiting for metadata when Kafka is unreachable. */
        @WithDefault("1500ms")
        Duration produceTimeout();

        /** Interval of heartbeats on every partition of the region's topic (they drive the watermarks). */
        @WithDefault("200ms")
        Duration heartbeatInterval();

        /** Kafka producer linger; 0 favours latency, a few ms favour throughput. */
        @WithName("linger")
        @WithDefault("1ms")
        Duration linger();

        /** The region's event buffer, used by namespaces with {@code kafka-outage-policy=buffer}. */
        BufferConfig buffer();
    }

    /**
     * The event buffer: a Redis stream in the region's Redis ({@code meridian:buffer:<region>}) that keeps, in
     * version order, the events Kafka could not take, and the relay that sends them to Kafka when it returns.
     */
    interface BufferConfig {

        /**
         * Most events the buffer holds; a write beyond it answers 503 {@code event-buffer-full} (an event is never
         * dropped to make room). Each entry costs its event (the value plus about 60 bytes) in the region's Redis.
         */
        @WithDefault("100000")
        int maxLength();

        /**
         * How often each gateway reads the buffer's length: while it is not empty, the gateway sends nothing to Kafka
         * itself (writes of {@code buffer} namespaces go to the buffer, those of {@code reject} namespaces answer 503,
         * heartbeats pause), and one gateway of the region relays it.
         */
        @WithDefault("100ms")
        Duration pollInterval();

        /** Events the relay sends to Kafka per round before it removes them from the buffer. */
        @WithDefault("500")
        int relayBatch();

        /** How long the relay lock outlives a relay that stopped renewing it (a gateway that died mid-drain). */
        @WithDefault("5s")
        Duration relayLockTtl();
    }
}

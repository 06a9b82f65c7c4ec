package io.meridian.gateway.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** One namespace: what kind of data it holds, where its keys live, how long they live and how big they may be. */
public interface NamespaceConfig {

    /** What the namespace holds. */
    enum Type {
        /** Values under keys, the keys API. */
        KV,
        /** CRDT counters. */
        COUNTER,
        /** Region-local capped lists. */
        LIST
    }

    /** Kind of data. */
    @WithDefault("kv")
    Type type();

    /** Home-region placement: {@code hash}, {@code owner} or {@code fixed:<region>}. */
    @WithDefault("hash")
    String placement();

    /** TTL of a write that names none. Every value has a TTL. */
    @WithDefault("1h")
    Duration defaultTtl();

    /** Largest TTL a write may ask for. */
    @WithDefault("7d")
    Duration maxTtl();

    /**
     * Fraction of the TTL taken off at random (0 to 1), so that keys written together do not all expire in the same
     * second and send their misses to the origin at once.
     */
    @WithDefault("0.05")
    double ttlJitter();

    /** Largest value in bytes. */
    @WithDefault("1048576")
    int maxValueBytes();

    /**
     * Sliding TTL: a read of a live value pushes its expiry forward by the TTL it was written with, never past
     * {@link #maxTtl()} after the write. Refreshed in the reading region only (no event per read).
     */
    @WithDefault("false")
    boolean refreshOnAccess();

    /**
     * How long a fill lease handed out on a miss is valid ({@code Meridian-Lease}); at most one per key per region in
     * this period. 0 hands out none. Must be shorter than {@code meridian.tombstone-ttl}.
     */
    @WithDefault("10s")
    Duration fillLeaseTtl();

    /** What writes of a key do while its home region cannot be reached. */
    enum RegionOutagePolicy {
        /** 503 with Retry-After until the home is back (the default). */
        REJECT,
        /** After {@link #failoverAfter()}, the next region in the key's placement list takes its writes. */
        FAILOVER
    }

    /** {@code reject} (the default) or {@code failover}. */
    @WithDefault("reject")
    RegionOutagePolicy regionOutagePolicy();

    /**
     * How long a home region must have been unreachable before the next region takes its keys' writes (policy {@code
     * failover}). It must exceed the clock skew between regions (see docs/coherence.md, "Failover").
     */
    @WithDefault("10s")
    Duration failoverAfter();

    /** How writes reach the application's database. */
    enum WriteMode {
        /** The application writes its database and Meridian separately (the default). */
        CACHE_ASIDE,
        /**
         * A write is sent to the origin's {@code write-url} first and cached only once the origin accepted it; a
         * delete likewise.
         */
        WRITE_THROUGH
    }

    /** {@code cache-aside} or {@code write-through} (which needs {@code origin.write-url}). */
    @WithDefault("cache-aside")
    WriteMode writeMode();

    /** What a write of the namespace does when the home region's Kafka cannot take its event. */
    enum KafkaOutagePolicy {
        /** 503 {@code event-log-unavailable}, nothing written: every acknowledged write is in Kafka (the default). */
        REJECT,
        /**
         * The event is kept in the home region's event buffer (a Redis stream), applied and acknowledged; the region's
         * relay sends the buffer to Kafka, in order, when Kafka returns. A full buffer answers 503.
         */
        BUFFER
    }

    /**
     * {@code reject} or {@code buffer}: what a write does while the home region's Kafka is unavailable (see
     * docs/coherence.md, "When Kafka is unavailable").
     */
    @WithDefault("reject")
    KafkaOutagePolicy kafkaOutagePolicy();

    /** Whether reads of this namespace may be answered from the gateways' near cache (L1). */
    @WithDefault("true")
    boolean nearCache();

    /**
     * Replicas of each hot key in the region's Redis, read at random instead of the key itself, so that a hot key's
     * reads spread over the shards of a Redis Cluster; 0 (the default) turns it off. Used only where the near cache
     * is off for the namespace ({@link #nearCache()} false), which otherwise takes hot keys off Redis.
     */
    @WithDefault("0")
    int hotKeyReplicas();

    /** Row-change events (Debezium) that invalidate this namespace's keys; none by default. */
    Optional<ChangesConfig> changes();

    /**
     * A Kafka topic of row changes in Debezium's JSON envelope ({@code before}, {@code after}, {@code op},
     * {@code source.table}; with or without the {@code schema}/{@code payload} wrapper). The key's home region deletes
     * the key through the normal versioned path, so every region drops its copy.
     */
    interface ChangesConfig {

        /** The topic, e.g. {@code dbserver1.public.users}; read from {@code kafka.bootstrap.servers}. */
        String topic();

        /**
         * The cache key of a row: {@code {column}} is replaced by the row's column value, e.g. {@code user:{id}}. The
         * row is {@code after}, or {@code before} for a delete.
         */
        String keyTemplate();

        /** Only changes of this table ({@code source.table}); all tables of the topic when absent. */
        Optional<String> table();
    }

    /** Where misses are loaded from (read-through); none means cache-aside only. */
    Optional<OriginConfig> origin();

    /** The system of record behind a namespace, read over HTTP by the key's home region on a miss. */
    interface OriginConfig {

        /**
         * URL of one key's value; {@code {key}} is replaced by the URL-encoded key, e.g.
         * {@code http://users-api:9000/users/{key}}. The origin answers 200 with the value (its {@code Content-Type}
         * is kept), 404 when the key does not exist; anything else is an origin failure.
         */
        String url();

        /**
         * URL of a batch load, used when one MGET misses several keys: {@code POST {"keys":["k1","k2"]}}, answered
         * 200 with {@code {"values":{"k1":{"value":"...","encoding":"utf-8","contentType":"application/json"}}}}
         * ({@code encoding} is {@code utf-8} or {@code base64}); a key left out of {@code values} does not exist.
         * Without it every missing key is loaded from {@link #url()} on its own.
         */
        Optional<String> batchUrl();

        /**
         * For {@code write-mode=write-through}: URL a write is sent to ({@code PUT}, the body and its
         * {@code Content-Type}; a delete as {@code DELETE}), {@code {key}} replaced by the URL-encoded key. A 2xx
         * answer accepts it; anything else refuses it and nothing is cached.
         */
        Optional<String> writeUrl();

        /** Bound on one origin call. */
        @WithDefault("1s")
        Duration timeout();

        /**
         * How long one gateway of the region holds a key's fill lease (the other gateways wait for its fill). A
         * lease whose holder died expires after this, and the next reader loads the key.
         */
        @WithDefault("1500ms")
        Duration leaseTtl();

        /**
         * How long after its expiry a value may still be answered, marked {@code Meridian-Source: stale}, when the
         * origin fails or its circuit breaker is open ({@code stale-if-error}); 0 turns it off.
         */
        @WithDefault("0s")
        Duration staleIfError();

        /**
         * How long after its expiry a value is still answered (marked {@code stale}) while one reload runs in the
         * background ({@code stale-while-revalidate}); 0 turns it off.
         */
        @WithDefault("0s")
        Duration staleWhileRevalidate();

        /**
         * XFetch's β: a read of a live value reloads it in the background, before it expires, with a probability
         * that grows as the expiry nears and with the origin's load time (Vattani et al., "Optimal Probabilistic
         * Cache Stampede Prevention", VLDB 2015). 1 is the paper's default; larger refreshes earlier; 0 turns it off.
         */
        @WithDefault("1.0")
        double earlyRefreshBeta();

        /** Consecutive origin failures that open its circuit breaker. */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open origin breaker fails calls at once before it lets one through. */
        @WithDefault("5s")
        Duration breakerOpenFor();
    }

    /** Capacity of each list in a {@code list} namespace. */
    @WithDefault("800")
    int listCap();
}

package io.meridian.replicator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of one region's replicator. It shares the {@code meridian.} keys of the gateway (region, region map,
 * tombstone TTL), so one properties file or one set of environment variables can configure both.
 */
@ConfigMapping(prefix = "meridian")
public interface ReplicatorConfig {

    /** The region whose Redis this replicator keeps up to date. */
    String region();

    /** Number of this node within its region (0..255). */
    @WithDefault("0")
    int nodeId();

    /** Every region of the deployment, by name. */
    Map<String, RegionConfig> regions();

    /** Tombstone lifetime; must outlast the longest replication delay. Same meaning as the gateway's. */
    @WithDefault("10m")
    Duration tombstoneTtl();

    /**
     * How long a recorded purge is kept. Every value it covered must have expired by then, so it must exceed the
     * largest {@code max-ttl} of any namespace (the gateways check this at start). Same meaning as the gateway's.
     */
    @WithDefault("8d")
    Duration purgeRetention();

    /** Shared secret of the inter-region API. */
    Optional<String> internalSecret();

    /** Pause between attempts while Redis cannot take an event; the event is retried, never skipped. */
    @WithDefault("500ms")
    Duration applyRetryBackoff();

    /**
     * Events applied at once, over every consumer of this replicator; more wait their turn. Keep it below the Redis
     * client's {@code quarkus.redis.max-pool-waiting} (1024) plus its pool size, so that no apply is refused by the
     * client when several sources catch up at once.
     */
    @WithDefault("512")
    int applyConcurrency();

    /**
     * How long a producing gateway may stay silent before the watermark stops waiting for it (a stopped gateway must
     * not hold the watermark back). Must be well above the gateways' heartbeat interval.
     */
    @WithDefault("10s")
    Duration producerExpiry();

    /** How this replicator reads the event topics. */
    Events events();

    /** How this region's cache is rebuilt after it lost its data. */
    Recovery recovery();

    /** See {@code recovery.CacheLossRecovery}. */
    interface Recovery {

        /** How often the cache is checked for its id. */
        @WithDefault("1s")
        Duration checkEvery();

        /**
         * How long a rebuild waits for sources on Kafka clusters of their own before the region answers for its keys
         * again; such a source that cannot be reached replays when it is back.
         */
        @WithDefault("60s")
        Duration remoteWait();
    }

    /** How the event topics are read. */
    interface Events {

        /**
         * The event topics read from the replicator's own Kafka cluster, as a regular expression: by default every
         * region's, so a new region is followed without a restart. Sources listed under {@code meridian.sources} are
         * left out of it and read from their own cluster.
         */
        @WithDefault("meridian\\.[a-z0-9][a-z0-9-]*\\.events")
        String topicPattern();

        /** Records one poll returns at most; one poll is one batch, applied concurrently. */
        @WithDefault("1000")
        int maxPollRecords();

        /** How soon a new event topic (a region added) is noticed. */
        @WithDefault("10s")
        Duration metadataMaxAge();

        /**
         * The longest pause between two attempts to read a source after its consumer failed (the pause starts at
         * {@code apply-retry-backoff} and doubles); reading is retried for ever, from the committed offsets.
         */
        @WithDefault("10s")
        Duration maxRetryBackoff();
    }

    /**
     * Source regions whose event topic this replicator reads from a Kafka cluster of their own (one Kafka per region,
     * consumed across regions). Every other source is read from {@code kafka.bootstrap.servers}: one shared cluster,
     * or this region's cluster into which MirrorMaker 2 or MSK Replicator copies the other regions' topics under
     * their own names.
     */
    Map<String, SourceConfig> sources();

    /** Where one source region's event topic is read. */
    interface SourceConfig {

        /** The {@code bootstrap.servers} of the cluster holding {@code meridian.<source>.events}. */
        String bootstrapServers();

        /**
         * The consumer group this replicator reads the source with, on the source's cluster; by default {@code
         * meridian-replicator-<region>}, as on its own cluster. Set one per source only where several sources' clusters
         * are in fact one (the local launcher's single broker behind per-region proxies): one group there would hold
         * every source's consumer, and a rebalance of any of them would stop them all.
         */
        Optional<String> groupId();
    }

    /** One region of the deployment. */
    interface RegionConfig {

        /** Base URL of the region's gateway. */
        Optional<String> gatewayUrl();

        /** Base URL of the region's replicator. */
        Optional<String> replicatorUrl();

        /** Stable id of the region (0..255). */
        Optional<Integer> id();
    }
}

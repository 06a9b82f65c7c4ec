package io.meridian.gateway.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

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

    /** Whether a read pushes the expiry forward (bounded by {@link #maxTtl()}). */
    @WithDefault("false")
    boolean refreshOnAccess();

    /** Capacity of each list in a {@code list} namespace. */
    @WithDefault("800")
    int listCap();
}

package io.meridian.coherence.redis;

/**
 * Where Meridian keeps things in a region's Redis. Every component maps a namespace's key to a Redis key here, so
 * the gateway and the replicator always touch the same key.
 */
public final class RedisKeys {

    private RedisKeys() {}

    /**
     * The Redis key of a value: {@code m:<namespace>:<key>}. Namespace names contain no ':', so the mapping is one to
     * one; no hash tag is used, so keys spread over every slot of a Redis Cluster.
     */
    public static String value(String namespace, String key) {
        return "m:" + namespace + ":" + key;
    }

    /**
     * The key under which a region's replicator publishes its applied watermark for a source region (the HLC up to
     * which every event of that source has been applied here), for the gateways of the region to read.
     */
    public static String watermark(String source) {
        return "meridian:watermark:" + source;
    }
}

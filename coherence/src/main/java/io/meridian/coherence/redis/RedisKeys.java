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
     * The Redis key of a copy of a value homed in a source region whose generation is {@code generation}. A region
     * that finds a gap in a source's log (offsets gone: retention passed, topic recreated) bumps that source's
     * generation; every copy stored under the old generation then reads as a miss at once, in O(1), and expires by
     * its TTL. Generation 0 is the plain {@link #value} key.
     */
    public static String value(String namespace, String key, long generation) {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative");
        }
        return generation == 0 ? value(namespace, key) : "m~" + generation + ":" + namespace + ":" + key;
    }

    /**
     * The Redis key of replica {@code replica} of a hot value stored under {@code valueKey}: {@code r<i>#<valueKey>}.
     * A different key name hashes to a different slot, so in a Redis Cluster a hot key's replicas spread over the
     * shards and its reads with them.
     */
    public static String hotReplica(String valueKey, int replica) {
        return "r" + replica + "#" + valueKey;
    }

    /**
     * The hash of the purges recorded in a region: field {@code <namespace>/<owner>} (owner empty for a whole
     * namespace) → the purge's version (10 bytes); field {@value #PURGE_EPOCH} counts changes, so readers know when to
     * read the hash again. One key, so its scripts run on Redis Cluster.
     */
    public static final String PURGES = "meridian:purges";

    /** The field of {@link #PURGES} that counts its changes. */
    public static final String PURGE_EPOCH = "_epoch";

    /** The field of {@link #PURGES} recording a purge of a namespace ({@code owner} empty) or of an owner in it. */
    public static String purgeField(String namespace, String owner) {
        return namespace + "/" + owner;
    }

    /** The counter holding a source region's current generation in a consuming region. */
    public static String generation(String source) {
        return "meridian:generation:" + source;
    }

    /** The last applied offset of a source's partition, kept to recognise a topic that was deleted and recreated. */
    public static String appliedOffset(String source, int partition) {
        return "meridian:offset:" + source + ":" + partition;
    }

    /**
     * The Kafka topic id of a source's event topic when this region last applied it: a different id means the topic
     * was deleted and recreated, and copies made from the old log must be dropped.
     */
    public static String topicId(String source) {
        return "meridian:topic-id:" + source;
    }

    /**
     * The key under which a region's replicator publishes its applied watermark for a source region (the HLC up to
     * which every event of that source has been applied here), for the gateways of the region to read.
     */
    public static String watermark(String source) {
        return "meridian:watermark:" + source;
    }

    /**
     * The id of a region's cache contents, set by its replicator once the cache holds everything the retained event
     * logs and the control topic say: a cache that lacks it has lost its data (flushed, restarted without
     * persistence, replaced) or was never filled, and is rebuilt before the region answers for its keys again.
     */
    public static final String CACHE_ID = "meridian:cache-id";

    /**
     * The hash of handover states in a region (field: a region, value: its {@link
     * io.meridian.coherence.event.HomeAssignment} in text form), read by the region's gateways; a copy of what the
     * region's control topic records.
     */
    public static final String HANDOVERS = "meridian:handover";

    /**
     * Present while a region's replicator rebuilds its cache after a loss; the region's gateways then refuse to
     * answer for the region's own keys (503 {@code recovering}).
     */
    public static final String RECOVERING = "meridian:recovering";

    /**
     * The hash in which a region's replicator publishes how it reads a source region's log ({@code up}, {@code since},
     * {@code error}, {@code last-record}), with a short TTL, for the gateways' status to show.
     */
    public static String sourceState(String source) {
        return "meridian:source-state:" + source;
    }

    /**
     * A region's event buffer: the stream (one key, so it lives on one Redis Cluster node) in which the region's
     * gateways keep, in version order, the events of {@code buffer} namespaces that Kafka could not take, until the
     * region's relay has sent them to the event topic.
     */
    public static String eventBuffer(String region) {
        return "meridian:buffer:" + region;
    }

    /** The lock held by the one gateway of a region that relays its event buffer to Kafka. */
    public static String eventBufferRelay(String region) {
        return "meridian:buffer-relay:" + region;
    }

    /**
     * The pub/sub channel on which a region's writers (gateways, replicator) announce the keys they changed, so that
     * every gateway of the region drops its near-cache entry. A message is one or more lines {@code <namespace>/<key>}
     * (namespaces contain no {@code /}, keys no line breaks).
     */
    public static final String NEAR_CACHE_CHANNEL = "meridian:near-cache:invalidate";
}

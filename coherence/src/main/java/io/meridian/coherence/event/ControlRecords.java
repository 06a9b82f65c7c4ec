package io.meridian.coherence.event;

import io.meridian.coherence.redis.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The records of a region's control topic ({@link EventTopics#control}) and how each one is written into the region's
 * Redis: the one format that the gateways (which append and follow the topic), the replicator (which restores it after
 * a cache loss) and the launcher (which records a failover of a region that does not answer) share. A record's key
 * names the state ({@code handover/<region>}); its value is the region's {@link HomeAssignment} in its text form (a
 * tombstone, written before assignments had epochs, clears the state).
 */
public final class ControlRecords {

    private static final String HANDOVER_PREFIX = "handover/";

    private ControlRecords() {}

    /** @return the record key of a region's handover state */
    public static String handoverKey(String region) {
        return HANDOVER_PREFIX + region;
    }

    /**
     * @param key a record's key
     * @param value its value, null for a cleared state
     * @return the Redis command that puts the record's state into the region's Redis; empty for a key this version
     *     does not know (written by a newer one)
     */
    public static Optional<Request> toRedis(String key, byte[] value) {
        if (key == null || !key.startsWith(HANDOVER_PREFIX)) {
            return Optional.empty();
        }
        String region = key.substring(HANDOVER_PREFIX.length());
        return Optional.of(
                value == null
                        ? Request.cmd(Command.HDEL).arg(RedisKeys.HANDOVERS).arg(region)
                        : Request.cmd(Command.HSET)
                                .arg(RedisKeys.HANDOVERS)
                                .arg(region)
                                .arg(new String(value, StandardCharsets.UTF_8)));
    }
}

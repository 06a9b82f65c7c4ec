package io.meridian.gateway.kafka;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.redis.LuaScript;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.RedisLease;
import io.meridian.coherence.redis.ScriptRunner;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The region's event buffer: a Redis stream ({@link RedisKeys#eventBuffer}, one key, so it works on Redis Cluster)
 * holding the events of {@code buffer} namespaces that Kafka could not take, with their Kafka record keys, until the
 * region's {@link BufferRelay} has sent them to the event topic.
 *
 * <p>An entry's id is its event's version ({@link #idOf}): the stream is ordered by version, because Redis refuses an
 * id that is not above the last one, and the relay can hold the watermark just below the first entry left (see
 * docs/coherence.md). Every call waits for Redis: call it from worker threads only, never from the event loop.
 */
@ApplicationScoped
class EventBuffer {

    private static final LuaScript APPEND = LuaScript.load("buffer_append");

    /** One buffered event: its version (the entry id), its Kafka record key and its encoded bytes. */
    public record Entry(Version version, String recordKey, byte[] event) {}

    private final Redis redis;
    private final RedisLease leases;
    private final ScriptRunner scripts;
    private final String stream;
    private final String relayLock;
    private final int maxLength;
    private final long lockTtlMillis;
    private final long waitMillis;

    public EventBuffer(Redis redis, MeridianConfig config) {
        this.redis = redis;
        this.leases = new RedisLease(redis);
        this.scripts = new ScriptRunner(redis);
        this.stream = RedisKeys.eventBuffer(config.region());
        this.relayLock = RedisKeys.eventBufferRelay(config.region());
        this.maxLength = config.eventLog().buffer().maxLength();
        this.lockTtlMillis = config.eventLog().buffer().relayLockTtl().toMillis();
        this.waitMillis = config.requestTimeout().toMillis();
        if (maxLength < 1) {
            throw new IllegalArgumentException(
                    "meridian.event-log.buffer.max-length must be at least 1, was " + maxLength);
        }
    }

    /**
     * Appends an event under its version.
     *
     * @return empty when appended; else the version of the stream's last entry, which is not below {@code version}
     *     (take a newer version and try again)
     * @throws GatewayFailure 503 {@code event-buffer-full} when the buffer holds its maximum
     */
    public OptionalLong append(Version version, String recordKey, byte[] event) {
        Response reply = await(scripts.run(
                APPEND,
                stream,
                List.of(
                        Integer.toString(maxLength).getBytes(StandardCharsets.US_ASCII),
                        idOf(version).getBytes(StandardCharsets.US_ASCII),
                        recordKey.getBytes(StandardCharsets.UTF_8),
                        event)));
        return switch (reply.get(0).toInteger()) {
            case 1 -> OptionalLong.empty();
            case 2 -> OptionalLong.of(versionOf(reply.get(1).toString()).hlc());
            default ->
                throw GatewayFailure.unavailable(
                        "event-buffer-full",
                        "Kafka cannot take writes and the region's event buffer holds its maximum of " + maxLength
                                + " events; nothing was written");
        };
    }

    /** @return the number of buffered events */
    public long length() {
        return await(redis.send(Request.cmd(Command.XLEN).arg(stream))).toLong();
    }

    /** @return the {@code count} oldest buffered events, oldest (lowest version) first */
    public List<Entry> oldest(int count) {
        Response reply = await(redis.send(Request.cmd(Command.XRANGE)
                .arg(stream)
                .arg("-")
                .arg("+")
                .arg("COUNT")
                .arg(count)));
        List<Entry> entries = new ArrayList<>(reply.size());
        for (Response entry : reply) {
            Response fields = entry.get(1);
            String recordKey = null;
            byte[] event = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (fields.get(i).toString()) {
                    case "key" -> recordKey = fields.get(i + 1).toString(StandardCharsets.UTF_8);
                    case "event" -> event = fields.get(i + 1).toBytes();
                    default -> {}
                }
            }
            entries.add(new Entry(versionOf(entry.get(0).toString()), recordKey, event));
        }
        return entries;
    }

    /** Removes relayed events (Kafka acknowledged them). */
    public void remove(List<Entry> relayed) {
        if (relayed.isEmpty()) {
            return;
        }
        Request delete = Request.cmd(Command.XDEL).arg(stream);
        relayed.forEach(entry -> delete.arg(idOf(entry.version())));
        await(redis.send(delete));
    }

    /** Takes the region's relay lock for {@code holder}, or extends it if the holder has it already. */
    public boolean holdRelay(String holder) {
        return await(leases.takeOrRenew(relayLock, holder, java.time.Duration.ofMillis(lockTtlMillis)))
                != RedisLease.Held.BY_ANOTHER;
    }

    /** Lets another gateway relay (a failure is ignored: the lock expires by itself). */
    public void releaseRelay(String holder) {
        leases.release(relayLock, holder);
    }

    /**
     * The stream id of a version: {@code <wall ms>-<logical * 65536 + origin>}. Stream ids order as (ms, sequence), so
     * ids order exactly as versions do (HLC, then origin).
     */
    static String idOf(Version version) {
        long sequence = ((long) HybridLogicalClock.logical(version.hlc()) << 16) | version.origin();
        return HybridLogicalClock.physical(version.hlc()) + "-" + sequence;
    }

    /** The version of a stream id made by {@link #idOf}. */
    static Version versionOf(String id) {
        int dash = id.indexOf('-');
        long millis = Long.parseLong(id.substring(0, dash));
        long sequence = Long.parseLong(id.substring(dash + 1));
        return new Version(HybridLogicalClock.pack(millis, (int) (sequence >>> 16)), (int) (sequence & 0xFFFF));
    }

    private <T> T await(Future<T> reply) {
        try {
            return reply.toCompletionStage().toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw bufferUnavailable(e.getCause());
        } catch (TimeoutException e) {
            throw bufferUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bufferUnavailable(e);
        }
    }

    private static GatewayFailure bufferUnavailable(Throwable cause) {
        return GatewayFailure.unavailable(
                "redis-unavailable", "the region's event buffer (Redis) did not answer: " + cause);
    }
}

package io.meridian.coherence.event;

import io.meridian.coherence.clock.WallClock;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The applied watermark of one source region, as one consuming region sees it: the HLC up to which every event of
 * that source has been applied here.
 *
 * <p>Within one partition a producer's events and heartbeats arrive in the order it sent them, and a producer never
 * sends an event with a version older than a heartbeat it sent before (it assigns versions and sends under one
 * lock). So after applying a partition up to a record from producer P with time T, every event of P on that
 * partition with a version ≤ T has been applied. The watermark is the minimum over partitions, and within a
 * partition over the producers still alive (a producer silent for longer than the expiry is gone: a stopped gateway
 * must not hold the watermark back forever). Not thread-safe; one consumer thread owns it.
 */
public final class ReplicationWatermark {

    private final WallClock clock;
    private final long producerExpiryMillis;
    private final Map<Integer, Map<Integer, Progress>> partitions = new HashMap<>();

    private record Progress(long hlc, long seenAtMillis) {}

    public ReplicationWatermark(WallClock clock, long producerExpiryMillis) {
        this.clock = clock;
        this.producerExpiryMillis = producerExpiryMillis;
    }

    /** Records that a partition has been applied up to a record of {@code origin} with time {@code hlc}. */
    public void advance(int partition, int origin, long hlc) {
        Map<Integer, Progress> producers = partitions.computeIfAbsent(partition, p -> new HashMap<>());
        Progress previous = producers.get(origin);
        long highest = previous == null ? hlc : Math.max(previous.hlc(), hlc);
        producers.put(origin, new Progress(highest, clock.millis()));
    }

    /** Forgets a partition that is no longer assigned to this consumer. */
    public void forget(int partition) {
        partitions.remove(partition);
    }

    /** @return the watermark, or empty while some partition has not been heard from */
    public OptionalLong current(int partitionCount) {
        if (partitions.size() < partitionCount || partitions.isEmpty()) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        long watermark = Long.MAX_VALUE;
        for (Map<Integer, Progress> producers : partitions.values()) {
            producers.values().removeIf(progress -> now - progress.seenAtMillis() > producerExpiryMillis);
            if (producers.isEmpty()) {
                return OptionalLong.empty();
            }
            for (Progress progress : producers.values()) {
                watermark = Math.min(watermark, progress.hlc());
            }
        }
        return OptionalLong.of(watermark);
    }
}

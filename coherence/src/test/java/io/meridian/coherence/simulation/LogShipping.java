package io.meridian.coherence.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Carries every region's log to every region's replicator, as {@link Replication} does (at least once, in any order,
 * some first attempts lost and redelivered, some duplicated), except that nothing is cut between regions: a region's
 * replicator that is down receives nothing until it returns, while its log stays readable by the others (it lives in
 * Kafka, not in the region's gateways). Also the replays a replicator runs after its Redis lost its data.
 */
final class LogShipping {

    private final Scheduler time;
    private final Random random;
    private final HomeMoveConfig config;
    private final List<Region> regions;
    private final Predicate<Region> up;
    private final Map<Region, List<Runnable>> waiting = new HashMap<>();
    private long scheduled;
    private long delivered;

    LogShipping(Scheduler time, Random random, HomeMoveConfig config, List<Region> regions, Predicate<Region> up) {
        this.time = time;
        this.random = random;
        this.config = config;
        this.regions = regions;
        this.up = up;
    }

    /** Schedules the deliveries of the event at {@code offset} of {@code source}'s log to every region. */
    void publish(Region source, int offset) {
        for (Region consumer : regions) {
            boolean dropped = random.nextDouble() < config.dropProbability();
            long delay = dropped
                    ? config.maxDeliveryDelayMillis() + random.nextInt((int) config.maxRedeliveryMillis())
                    : firstDelay();
            deliverAfter(delay, consumer, source, offset, () -> {});
            if (random.nextDouble() < config.dropProbability()) {
                deliverAfter(
                        1 + random.nextInt((int) config.maxRedeliveryMillis()), consumer, source, offset, () -> {});
            }
        }
    }

    /**
     * After a data loss: {@code consumer} reads {@code source}'s log again from the first event whose timestamp (its
     * version's wall time, as Kafka's record timestamp) is at or after {@code fromWallMillis}; {@code done} runs once
     * every replayed event is applied.
     */
    void replay(Region consumer, Region source, long fromWallMillis, Runnable done) {
        int from = 0;
        while (from < source.logSize()
                && ApplyRules.versionOf(source.event(from)).wallMillis() < fromWallMillis) {
            from++;
        }
        int[] left = {source.logSize() - from};
        if (left[0] == 0) {
            done.run();
            return;
        }
        for (int offset = from; offset < source.logSize(); offset++) {
            deliverAfter(firstDelay(), consumer, source, offset, () -> {
                if (--left[0] == 0) {
                    done.run();
                }
            });
        }
    }

    /** The region is back: what waited for it is delivered now, after the usual delay. */
    void resume(Region consumer) {
        List<Runnable> held = waiting.remove(consumer);
        if (held != null) {
            held.forEach(delivery -> time.after(firstDelay(), delivery));
        }
    }

    boolean drained() {
        return scheduled == delivered;
    }

    long delivered() {
        return delivered;
    }

    private void deliverAfter(long delayMillis, Region consumer, Region source, int offset, Runnable then) {
        scheduled++;
        time.after(delayMillis, () -> attempt(consumer, source, offset, then));
    }

    private void attempt(Region consumer, Region source, int offset, Runnable then) {
        if (!up.test(consumer)) {
            waiting.computeIfAbsent(consumer, c -> new ArrayList<>())
                    .add(() -> attempt(consumer, source, offset, then));
            return;
        }
        delivered++;
        consumer.applyFromLog(source, offset);
        then.run();
    }

    private long firstDelay() {
        return 1 + random.nextInt((int) config.maxDeliveryDelayMillis());
    }
}

package io.meridian.coherence.simulation;

import java.util.List;
import java.util.Random;

/**
 * Carries every home's log to every region's replicator, the home's own included (a gateway that died between append
 * and apply loses nothing). Delivery is at least once and in no particular order, which is more than Kafka does (one
 * key's events stay ordered on their partition, redelivery replays in order): the protocol claims that versions alone
 * decide, so the model does not lean on ordering.
 *
 * <p>Per event and consumer: a first attempt after a random delay; sometimes that attempt is lost and the event comes
 * later (drop, then redelivery); sometimes it comes twice. An attempt over a cut link waits for the heal. Nothing is
 * lost for good.
 */
final class Replication {

    private final Scheduler time;
    private final Network network;
    private final Random random;
    private final SimulationConfig.Faults faults;
    private final List<Region> regions;
    private final Trace trace;
    private long scheduled;
    private long delivered;

    Replication(
            Scheduler time,
            Network network,
            Random random,
            SimulationConfig.Faults faults,
            List<Region> regions,
            Trace trace) {
        this.time = time;
        this.network = network;
        this.random = random;
        this.faults = faults;
        this.regions = regions;
        this.trace = trace;
    }

    /** Schedules the deliveries of the event at {@code offset} of {@code source}'s log to every region. */
    void publish(Region source, int offset) {
        for (Region consumer : regions) {
            if (random.nextDouble() < faults.dropProbability()) {
                attemptAfter(redeliveryDelay(), consumer, source, offset);
            } else {
                attemptAfter(firstDelay(), consumer, source, offset);
            }
            if (random.nextDouble() < faults.duplicateProbability()) {
                attemptAfter(1 + random.nextInt((int) faults.maxRedeliveryMillis()), consumer, source, offset);
            }
        }
    }

    long delivered() {
        return delivered;
    }

    /** @return true when every scheduled delivery has happened */
    boolean drained() {
        return delivered == scheduled;
    }

    private void attemptAfter(long delayMillis, Region consumer, Region source, int offset) {
        scheduled++;
        time.after(delayMillis, () -> attempt(consumer, source, offset));
    }

    private void attempt(Region consumer, Region source, int offset) {
        if (!network.connected(consumer, source)) {
            time.at(network.healTime(consumer, source) + firstDelay(), () -> attempt(consumer, source, offset));
            return;
        }
        delivered++;
        if (trace.enabled()) {
            trace.log(
                    ApplyRules.keyOf(source.event(offset)),
                    time.now(),
                    "%s applies %s#%d %s",
                    consumer,
                    source,
                    offset,
                    source.event(offset));
        }
        consumer.applyFromLog(source, offset);
    }

    private long firstDelay() {
        return 1 + random.nextInt((int) faults.maxDeliveryDelayMillis());
    }

    private long redeliveryDelay() {
        long min = faults.maxDeliveryDelayMillis();
        return min + random.nextInt((int) (faults.maxRedeliveryMillis() - min + 1));
    }
}

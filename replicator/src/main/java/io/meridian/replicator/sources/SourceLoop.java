package io.meridian.replicator.sources;

import io.meridian.coherence.event.EventTopics;
import io.meridian.replicator.health.SourceHealth;
import io.meridian.replicator.ingest.EventIngest;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads event topics from one Kafka cluster on a thread of its own, and never stops for good: whatever a poll, an
 * apply or a commit throws (a commit that timed out during a cut, a fenced or removed group member, a broker away for
 * minutes), the loop closes its consumer, waits with a growing backoff, creates a new consumer and resumes from the
 * committed offsets. Records of a batch whose commit failed are read again and applied again, which applying makes
 * harmless (apply-if-newer by version).
 *
 * <p>A poll's records are applied as one batch ({@link EventIngest#applyAll}) and their offsets are committed only after the whole
 * batch is applied or dead-lettered, so the committed offset never passes an event that was not applied.
 *
 * <p>Just over 300 lines because the loop's failure handling (close, back off, recreate, rewind) is one state machine
 * whose steps must be read together.
 */
final class SourceLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(SourceLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What a loop reads: a fixed topic or a pattern, and the sources it covers. */
    interface Subscription {
        void subscribe(Consumer<String, byte[]> consumer, ConsumerRebalanceListener listener);

        /** @return the sources this loop reads now (for health while it cannot poll) */
        Set<String> sources();

        String describe();
    }

    /** Gap detection on assignment, for loops that have one. */
    interface Assignments {
        void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);
    }

    private final String name;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Subscription subscription;
    private final Assignments assignments;
    private final Function<ConsumerRecord<String, byte[]>, EventIngest.Delivery> deliveries;
    private final Function<List<EventIngest.Delivery>, Uni<Void>> apply;
    private final SourceHealth health;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Thread thread;
    private final Set<String> assigned = new TreeSet<>();
    private volatile boolean running = true;
    private volatile Consumer<String, byte[]> consumer;
    /** Rewinds asked for ({@link #rewind}) and done; the partitions of the last one, with the end to replay to. */
    private final java.util.concurrent.atomic.AtomicLong rewindsAsked = new java.util.concurrent.atomic.AtomicLong();

    private volatile long rewindsDone;
    private volatile boolean replaying;
    private long replayStartedAt;
    /** How long a replay waits for the consumer to be given partitions before it counts an empty assignment as done. */
    private static final long ASSIGNMENT_GRACE_NANOS = Duration.ofSeconds(15).toNanos();

    private final Map<TopicPartition, Long> replayUntil = new java.util.concurrent.ConcurrentHashMap<>();

    SourceLoop(
            String name,
            Supplier<Consumer<String, byte[]>> consumers,
            Subscription subscription,
            Assignments assignments,
            Function<ConsumerRecord<String, byte[]>, EventIngest.Delivery> deliveries,
            Function<List<EventIngest.Delivery>, Uni<Void>> apply,
            SourceHealth health,
            Duration minBackoff,
            Duration maxBackoff) {
        this.name = name;
        this.consumers = consumers;
        this.subscription = subscription;
        this.assignments = assignments;
        this.deliveries = deliveries;
        this.apply = apply;
        this.health = health;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this, "meridian-source-" + name);
        this.thread.setDaemon(true);
        subscription.sources().forEach(health::expect);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        Duration backoff = minBackoff;
        while (running) {
            try {
                consumer = consumers.get();
                subscription.subscribe(consumer, new Listener(consumer));
                LOG.infof("reading %s", subscription.describe());
                while (running) {
                    rewindIfAsked();
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    sources().forEach(health::polled);
                    backoff = minBackoff;
                    if (!records.isEmpty()) {
                        applyAndCommit(records);
                    }
                    checkReplayed();
                }
            } catch (WakeupException stopping) {
                // stop() woke the poll up, or a failure below asked for a new consumer.
            } catch (RuntimeException | Error e) {
                for (String source : sources()) {
                    health.failed(source, e);
                }
                LOG.warnf(
                        "reading %s failed, reading again from the committed offsets in %d ms: %s",
                        subscription.describe(), backoff.toMillis(), e.toString());
            } finally {
                closeQuietly();
            }
            if (running) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    private void applyAndCommit(ConsumerRecords<String, byte[]> records) {
        List<EventIngest.Delivery> batch = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Set<String> batchSources = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(deliveries.apply(record));
            next.put(
                    new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            EventTopics.sourceRegion(record.topic()).ifPresent(batchSources::add);
        }
        batchSources.forEach(health::received);
        batchSources.forEach(source -> health.applying(source, true));
        try {
            // Waits however long Redis is away: an event is retried, never skipped (see EventIngest).
            apply.apply(batch).await().indefinitely();
        } finally {
            batchSources.forEach(source -> health.applying(source, false));
        }
        try {
            consumer.commitSync(next);
        } catch (CommitFailedException e) {
            // The group moved these partitions on; their new owner replays them, which applying makes harmless.
            LOG.warnf("offsets of %s not committed after a rebalance: %s", subscription.describe(), e.getMessage());
        }
    }

    /**
     * Reads every partition of this loop again from the start of its retained log, now and for partitions assigned
     * later until the replay is done (after the cache lost its data: applying the whole retained log again rebuilds
     * its copies, tombstones and purge records; apply-if-newer makes the replay harmless where they survived).
     *
     * @return the number of this rewind, for {@link #replayed}
     */
    long rewind() {
        return rewindsAsked.incrementAndGet();
    }

    /** @return whether the rewind numbered {@code rewind} has been replayed up to the log ends it found */
    boolean replayed(long rewind) {
        return rewindsDone >= rewind && !replaying;
    }

    private void rewindIfAsked() {
        long asked = rewindsAsked.get();
        if (asked == rewindsDone) {
            return;
        }
        replayUntil.clear();
        replaying = true;
        replayStartedAt = System.nanoTime();
        rewindsDone = asked;
        replayFromStart(consumer, consumer.assignment());
    }

    private void replayFromStart(Consumer<String, byte[]> owner, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        owner.seekToBeginning(partitions);
        owner.endOffsets(partitions).forEach(replayUntil::put);
        LOG.infof("replaying %s from the start of the retained log", partitions);
    }

    private void checkReplayed() {
        if (!replaying) {
            return;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty() && System.nanoTime() - replayStartedAt < ASSIGNMENT_GRACE_NANOS) {
            return; // not given its partitions yet (joining the group): they are replayed once assigned
        }
        for (Map.Entry<TopicPartition, Long> until : replayUntil.entrySet()) {
            if (assignment.contains(until.getKey()) && consumer.position(until.getKey()) < until.getValue()) {
                return;
            }
        }
        replaying = false;
        LOG.infof("replay of %s done", subscription.describe());
    }

    private Set<String> sources() {
        Set<String> sources = new TreeSet<>(subscription.sources());
        synchronized (assigned) {
            sources.addAll(assigned);
        }
        return sources;
    }

    private void closeQuietly() {
        Consumer<String, byte[]> closing = consumer;
        consumer = null;
        if (closing == null) {
            return;
        }
        try {
            closing.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("closing the consumer of %s: %s", subscription.describe(), e);
        }
    }

    private void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void stop(Duration within) {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String name() {
        return name;
    }

    /** Remembers which sources the loop was given, and looks for gaps before any of their records is applied. */
    private final class Listener implements ConsumerRebalanceListener {
        private final Consumer<String, byte[]> owner;

        Listener(Consumer<String, byte[]> owner) {
            this.owner = owner;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            synchronized (assigned) {
                partitions.forEach(
                        partition -> EventTopics.sourceRegion(partition.topic()).ifPresent(assigned::add));
            }
            if (assignments != null && !partitions.isEmpty()) {
                assignments.onPartitionsAssigned(owner, partitions);
            }
            if (replaying) {
                // Assigned while a replay is under way (a new consumer after a failure, a rebalance): replayed too.
                replayFromStart(owner, partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Offsets are committed after every applied poll; nothing is pending here.
        }
    }
}

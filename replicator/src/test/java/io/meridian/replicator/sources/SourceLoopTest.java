package io.meridian.replicator.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meridian.coherence.clock.WallClock;
import io.meridian.replicator.health.SourceHealth;
import io.meridian.replicator.ingest.EventIngest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A source's consumer loop never stops for good: a commit that times out (as during a cut of minutes), a poll that
 * throws, or an apply that fails make it close its consumer, report the source down with the error, create a new
 * consumer and go on from the committed offsets, so every record is applied and the source reported up again.
 */
class SourceLoopTest {

    private static final String SOURCE = "us-east";
    private static final TopicPartition PARTITION = new TopicPartition("meridian.us-east.events", 0);
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final SourceHealth health = new SourceHealth(new SimpleMeterRegistry(), null, WallClock.system());
    private final Broker broker = new Broker(10);
    private final List<Long> applied = new CopyOnWriteArrayList<>();
    private SourceLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aCommitThatTimesOut_isRetriedWithANewConsumer_andNothingIsSkipped() {
        broker.commitFailures.set(1);
        loop = start(batch -> {
            batch.forEach(delivery -> applied.add(delivery.offset()));
            return Uni.createFrom().voidItem();
        });

        await().atMost(WITHIN).until(() -> broker.committed.getOrDefault(PARTITION, 0L) == 10L);
        assertThat(broker.created.get()).as("consumers created").isEqualTo(2);
        // The batch whose commit failed was read again from the committed offset: applied twice, none skipped.
        assertThat(Set.copyOf(applied)).containsExactlyInAnyOrderElementsOf(offsets(10));
        assertThat(applied).hasSize(20);
        await().atMost(WITHIN).until(() -> health.up(SOURCE));
        assertThat(broker.failuresSeen.get()).isEqualTo(1);
    }

    @Test
    void aPollThatThrows_andAnApplyThatFails_doNotStopTheLoop() {
        broker.pollFailures.set(2);
        AtomicInteger applyFailures = new AtomicInteger(1);
        loop = start(batch -> {
            if (applyFailures.getAndDecrement() > 0) {
                return Uni.createFrom().failure(new IllegalStateException("dead-letter topic unavailable"));
            }
            batch.forEach(delivery -> applied.add(delivery.offset()));
            return Uni.createFrom().voidItem();
        });

        await().atMost(WITHIN).until(() -> broker.committed.getOrDefault(PARTITION, 0L) == 10L);
        assertThat(Set.copyOf(applied)).containsExactlyInAnyOrderElementsOf(offsets(10));
        assertThat(broker.created.get()).isGreaterThanOrEqualTo(4);
        await().atMost(WITHIN).until(() -> health.up(SOURCE));
    }

    @Test
    void aSourceThatKeepsFailing_isReportedDownWithItsError() {
        broker.commitFailures.set(Integer.MAX_VALUE);
        loop = start(batch -> Uni.createFrom().voidItem());

        await().atMost(WITHIN).until(() -> !health.up(SOURCE) && broker.created.get() >= 3);
        SourceHealth.View view = health.all().get(SOURCE);
        assertThat(view.up()).isFalse();
        assertThat(view.error())
                .hasValueSatisfying(
                        error -> assertThat(error).contains("TimeoutException").contains("committing offsets"));
        assertThat(health.down()).containsExactly(SOURCE);
        assertThat(broker.committed).isEmpty();
    }

    private SourceLoop start(Function<List<EventIngest.Delivery>, Uni<Void>> apply) {
        SourceLoop started = new SourceLoop(
                SOURCE,
                broker::newConsumer,
                new SourceLoop.Subscription() {
                    @Override
                    public void subscribe(Consumer<String, byte[]> consumer, ConsumerRebalanceListener listener) {
                        consumer.subscribe(List.of(PARTITION.topic()), listener);
                    }

                    @Override
                    public Set<String> sources() {
                        return Set.of(SOURCE);
                    }

                    @Override
                    public String describe() {
                        return PARTITION.topic();
                    }
                },
                null,
                Delivered::new,
                apply,
                health,
                Duration.ofMillis(10),
                Duration.ofMillis(50));
        started.start();
        return started;
    }

    private static List<Long> offsets(int count) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = 0; offset < count; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }

    /**
     * One partition of records and the group's committed offsets, as a broker keeps them across consumers; each new
     * consumer is given the partition and the records from the committed offset on. Commits and polls fail as many
     * times as asked.
     */
    private static final class Broker {
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger commitFailures = new AtomicInteger();
        final AtomicInteger pollFailures = new AtomicInteger();
        final AtomicInteger failuresSeen = new AtomicInteger();
        private final List<ConsumerRecord<String, byte[]>> log;

        Broker(int records) {
            List<ConsumerRecord<String, byte[]>> records1 = new ArrayList<>();
            for (int offset = 0; offset < records; offset++) {
                records1.add(new ConsumerRecord<>(
                        PARTITION.topic(),
                        PARTITION.partition(),
                        offset,
                        "k" + offset,
                        ("event " + offset).getBytes(StandardCharsets.UTF_8)));
            }
            this.log = Collections.unmodifiableList(records1);
        }

        Consumer<String, byte[]> newConsumer() {
            created.incrementAndGet();
            MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
                @Override
                public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                    if (commitFailures.getAndDecrement() > 0) {
                        failuresSeen.incrementAndGet();
                        throw new TimeoutException(
                                "Timeout of 60000ms expired before successfully committing offsets " + offsets);
                    }
                    offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
                    super.commitSync(offsets);
                }
            };
            if (pollFailures.getAndDecrement() > 0) {
                consumer.setPollException(new KafkaException("broker unreachable"));
            }
            consumer.schedulePollTask(() -> {
                consumer.rebalance(List.of(PARTITION));
                consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
                long from = committed.getOrDefault(PARTITION, 0L);
                consumer.seek(PARTITION, from);
                log.stream().filter(record -> record.offset() >= from).forEach(consumer::addRecord);
            });
            return consumer;
        }
    }

    /** A polled record as the loop hands it to the apply; dead letters go nowhere. */
    private static final class Delivered extends PolledRecord {

        Delivered(ConsumerRecord<String, byte[]> record) {
            super(record);
        }

        @Override
        public Uni<Void> deadLetter(Throwable reason) {
            return Uni.createFrom().voidItem();
        }
    }
}

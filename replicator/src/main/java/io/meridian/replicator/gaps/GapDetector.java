package io.meridian.replicator.gaps;

import io.meridian.coherence.event.EventTopics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds gaps in a source region's log when this replicator is given its partitions: the committed offset is before
 * the log's start (retention removed events never applied here) or after its end (the topic was recreated), or there
 * is no committed offset although this region has applied the partition before (the topic was deleted with its
 * offsets). Copies made from a log with a gap may be stale for good, so the source's generation is bumped before any
 * record is applied.
 */
@ApplicationScoped
@Identifier(GapDetector.NAME)
public class GapDetector implements KafkaConsumerRebalanceListener {

    /** The name the channel configuration refers to. */
    public static final String NAME = "meridian-gap-detector";

    private final SourceGenerations generations;

    public GapDetector(SourceGenerations generations) {
        this.generations = generations;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = Set.copyOf(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(assigned);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        Set<String> gapped = new TreeSet<>();
        for (TopicPartition partition : assigned) {
            EventTopics.sourceRegion(partition.topic()).ifPresent(source -> {
                if (hasGap(source, partition, committed.get(partition), beginning.get(partition), end.get(partition))) {
                    gapped.add(source);
                }
            });
        }
        gapped.forEach(source -> generations.bump(source, "offsets gone or topic recreated"));
    }

    private boolean hasGap(String source, TopicPartition partition, OffsetAndMetadata committed, Long first, Long end) {
        if (committed == null) {
            OptionalLong applied = generations.lastApplied(source, partition.partition());
            return applied.isPresent() && applied.getAsLong() >= 0 && end != null && applied.getAsLong() >= end;
        }
        long offset = committed.offset();
        return (first != null && offset < first) || (end != null && offset > end);
    }
}

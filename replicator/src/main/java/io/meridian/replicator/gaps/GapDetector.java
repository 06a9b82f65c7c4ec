package io.meridian.replicator.gaps;

import io.meridian.coherence.event.EventTopics;
import io.meridian.replicator.config.SourceClusters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;

/**
 * Finds gaps in a source region's log when this replicator is given its partitions: the topic's Kafka id differs from
 * the one recorded when this region last applied it (the topic was deleted and recreated, whatever became of the
 * group's committed offsets), the committed offset is before the log's start (retention removed events never applied
 * here) or after its end, or there is no committed offset although this region has applied the partition before.
 * Copies made from a log with a gap may be stale for good, so the source's generation is bumped before any record is
 * applied; a recreated topic is also read again from its beginning, since offsets committed for the old topic say
 * nothing about the new one.
 */
@ApplicationScoped
public class GapDetector {

    private static final Logger LOG = Logger.getLogger(GapDetector.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private final SourceGenerations generations;
    private final SourceClusters clusters;

    public GapDetector(SourceGenerations generations, SourceClusters clusters) {
        this.generations = generations;
        this.clusters = clusters;
    }

    /** Looks for gaps in the partitions just assigned, before any of their records is polled. */
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = Set.copyOf(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(assigned);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        Set<String> gapped = new TreeSet<>();
        for (String topic : recreated(assigned)) {
            EventTopics.sourceRegion(topic).ifPresent(gapped::add);
            List<TopicPartition> restart = assigned.stream()
                    .filter(partition -> partition.topic().equals(topic))
                    .toList();
            consumer.seekToBeginning(restart);
        }
        for (TopicPartition partition : assigned) {
            EventTopics.sourceRegion(partition.topic()).ifPresent(source -> {
                if (hasGap(source, partition, committed.get(partition), beginning.get(partition), end.get(partition))) {
                    gapped.add(source);
                }
            });
        }
        gapped.forEach(source -> generations.bump(source, "offsets gone or topic recreated"));
    }

    /** @return the assigned event topics whose Kafka id changed since this region last recorded it */
    private Set<String> recreated(Set<TopicPartition> assigned) {
        Map<String, Set<String>> topicsByCluster = new HashMap<>();
        for (TopicPartition partition : assigned) {
            EventTopics.sourceRegion(partition.topic())
                    .ifPresent(source -> topicsByCluster
                            .computeIfAbsent(clusterOf(source), cluster -> new TreeSet<>())
                            .add(partition.topic()));
        }
        Set<String> recreated = new TreeSet<>();
        topicsByCluster.forEach((cluster, topics) -> {
            for (Map.Entry<String, Uuid> id : topicIds(cluster, topics).entrySet()) {
                String source = EventTopics.sourceRegion(id.getKey()).orElseThrow();
                if (generations.topicChanged(source, id.getValue().toString())) {
                    LOG.warnf("%s was recreated (new topic id %s)", id.getKey(), id.getValue());
                    recreated.add(id.getKey());
                }
            }
        });
        return recreated;
    }

    private String clusterOf(String source) {
        return clusters.remoteSources().contains(source) ? source : "";
    }

    private Map<String, Uuid> topicIds(String cluster, Set<String> topics) {
        Map<String, Object> config = cluster.isEmpty() ? clusters.local() : clusters.of(cluster);
        Map<String, Uuid> ids = new HashMap<>();
        try (AdminClient admin = AdminClient.create(config)) {
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((topic, description) -> ids.put(topic, description.topicId()));
        } catch (ExecutionException | TimeoutException e) {
            // Without ids the offset checks below still run; the next assignment checks again.
            LOG.warnf("cannot read the topic ids of %s: %s", topics, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ids;
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

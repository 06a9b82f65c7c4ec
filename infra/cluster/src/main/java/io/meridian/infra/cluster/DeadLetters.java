package io.meridian.infra.cluster;

import io.meridian.coherence.event.EventCodec;
import io.meridian.coherence.event.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A region's dead letters ({@code meridian.<region>.dead-letters}): the events its replicator could not apply, with
 * the headers the replicator wrote (reason, source topic, partition, offset). Read from the beginning; replayed to
 * their source topic when they can be decoded now (after a fix), skipped otherwise.
 */
public final class DeadLetters {

    /** One dead letter; {@code timestamp} is when the replicator dead-lettered it (epoch ms). */
    public record Letter(
            String topic,
            int partition,
            long offset,
            long timestamp,
            String reason,
            String sourceTopic,
            String sourcePartition,
            String sourceOffset,
            byte[] key,
            byte[] value) {

        public boolean decodable() {
            try {
                EventCodec.decode(value);
                return true;
            } catch (EventDecodingException e) {
                return false;
            }
        }

        public String describe() {
            return topic + "/" + partition + "@" + offset + " from " + sourceTopic + "/" + sourcePartition + "@"
                    + sourceOffset + ": " + reason + " (" + (value == null ? 0 : value.length) + " bytes, "
                    + (decodable() ? "decodable now" : "still not decodable") + ")";
        }
    }

    private final String bootstrapServers;

    public DeadLetters(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static String topicOf(String region) {
        return "meridian." + region + ".dead-letters";
    }

    /** Every dead letter of the region, oldest first; empty when the topic does not exist. */
    public List<Letter> list(String region) {
        String topic = topicOf(region);
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = Optional.ofNullable(consumer.partitionsFor(topic, Duration.ofSeconds(5)))
                    .orElse(List.of());
            if (partitions.isEmpty()) {
                return letters;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
            long deadline = System.currentTimeMillis() + 15_000;
            while (!caughtUp(consumer, ends) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(letter(record));
                }
            }
        }
        return letters;
    }

    /**
     * Produces every dead letter that decodes now back to its source topic, with the same key and bytes. The
     * replicators apply it with apply-if-newer, so replaying a letter twice is harmless.
     *
     * @return the letters replayed and those skipped
     */
    public Map<Boolean, List<Letter>> replay(String region) {
        List<Letter> letters = list(region);
        Map<Boolean, List<Letter>> outcome = new HashMap<>();
        outcome.put(true, new ArrayList<>());
        outcome.put(false, new ArrayList<>());
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Letter letter : letters) {
                if (letter.decodable() && letter.sourceTopic() != null) {
                    producer.send(new ProducerRecord<>(letter.sourceTopic(), letter.key(), letter.value()));
                    outcome.get(true).add(letter);
                } else {
                    outcome.get(false).add(letter);
                }
            }
            producer.flush();
        }
        return outcome;
    }

    /**
     * Produces raw bytes to a topic (the poison-event drill's fault).
     *
     * @return the record's timestamp in the log (epoch ms)
     */
    public long produce(String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get()
                    .timestamp();
        } catch (Exception e) {
            throw new ClusterException("cannot produce to " + topic + ": " + e.getMessage(), e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Letter letter(ConsumerRecord<byte[], byte[]> record) {
        return new Letter(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                header(record, "dead-letter-reason"),
                header(record, "dead-letter-topic"),
                header(record, "dead-letter-partition"),
                header(record, "dead-letter-offset"),
                record.key(),
                record.value());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

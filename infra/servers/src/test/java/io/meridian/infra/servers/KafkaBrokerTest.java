package io.meridian.infra.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broker for the whole lifecycle: starting one costs ~10 s, so the steps share it. */
class KafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void broker_producedRecord_isConsumedAndSurvivesRestart() throws Exception {
        KafkaBroker broker = KafkaBroker.start(dataDir);
        try {
            String topic = "test." + UUID.randomUUID();
            produce(broker, topic, "k", "hello");
            assertThat(consumeOne(broker, topic)).isEqualTo("hello");

            broker.restart();

            assertThat(broker.isRunning()).isTrue();
            assertThat(consumeOne(broker, topic)).isEqualTo("hello");
        } finally {
            broker.stop();
        }
        assertThat(broker.isRunning()).isFalse();
        assertThat(LoopbackPorts.isOpen(broker.port())).isFalse();
        assertThat(dataDir.resolve("broker.log")).isNotEmptyFile();
    }

    private static void produce(KafkaBroker broker, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                30_000);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static String consumeOne(KafkaBroker broker, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(values).as("records of %s", topic).isNotEmpty();
            return values.get(0);
        }
    }
}

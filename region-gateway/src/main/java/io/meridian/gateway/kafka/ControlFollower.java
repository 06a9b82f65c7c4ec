package io.meridian.gateway.kafka;

import io.meridian.coherence.event.ControlRecords;
import io.meridian.coherence.event.EventTopics;
import io.meridian.gateway.config.MeridianConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Follows this region's control topic ({@link ControlLog}) from its start, for as long as the gateway runs, and
 * writes every handover state it carries into the region's Redis hash: so a state recorded while the region could not
 * be told (its keys failed over while it was down or cut off, by {@code ./meridian region failover}) reaches it when
 * it is back. Until it has read the topic to the end it found at start, the gateway does not answer for its own keys
 * (the state may say they are homed elsewhere now): the start waits for that up to {@link #START_WAIT}, then the
 * gateway starts and keeps refusing its keys until it is done.
 */
@ApplicationScoped
public class ControlFollower {

    private static final Logger LOG = Logger.getLogger(ControlFollower.class);
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Redis redis;
    private final Map<String, Object> kafka;
    private final String topic;
    private volatile boolean loaded;
    private volatile boolean running = true;
    private Thread thread;

    public ControlFollower(
            Redis redis, MeridianConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.redis = redis;
        this.kafka = kafka;
        this.topic = EventTopics.control(config.region());
    }

    void start(@Observes StartupEvent start) throws InterruptedException {
        if (!awaitLoaded()) {
            LOG.warnf("%s not read yet; this region's keys are refused until it is", topic);
        }
    }

    /**
     * Starts following the topic if that has not begun, and waits until it has been read to its end at start, for
     * {@link #START_WAIT} at most.
     *
     * @return whether it has been read to that end
     */
    public boolean awaitLoaded() throws InterruptedException {
        synchronized (this) {
            if (thread == null) {
                thread = new Thread(this::follow, "meridian-control-follower");
                thread.setDaemon(true);
                thread.start();
            }
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!loaded && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return loaded;
    }

    synchronized void stop(@Observes ShutdownEvent stop) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** @return whether the control topic has been read up to the end it had when this gateway started */
    public boolean loaded() {
        return loaded;
    }

    private void follow() {
        while (running) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "meridian-gateway-control-follower");
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
            // Reading must not create the topic: the gateway creates it compacted.
            settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic);
                if (partitions == null || partitions.isEmpty()) {
                    loaded = true; // nothing was ever recorded; look again later for a topic created meanwhile
                    sleep(RETRY);
                    continue;
                }
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        apply(record);
                    }
                    if (!loaded && consumer.position(partition) >= end) {
                        loaded = true;
                        LOG.infof("%s read to its end (%d records)", topic, end);
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("following %s failed, again in %d ms: %s", topic, RETRY.toMillis(), e.toString());
                sleep(RETRY);
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        ControlRecords.toRedis(record.key(), record.value()).ifPresent(request -> {
            try {
                redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Thrown on: the loop reads the topic again from its start, which applies every state again in order.
                throw new IllegalStateException("cannot write " + record.key() + ": " + e, e);
            }
        });
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}

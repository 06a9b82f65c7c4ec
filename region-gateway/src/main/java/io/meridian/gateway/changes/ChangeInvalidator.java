package io.meridian.gateway.changes;

import io.meridian.gateway.cache.KeyCache;
import io.meridian.gateway.cache.KeyRules;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.routing.HomeRegions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Invalidates keys from database row changes: for every namespace with {@code changes.topic}, the gateways of each
 * region read the topic in one consumer group per region and namespace, map each change to a cache key
 * ({@link ChangeEvents}), and the key's home region deletes it through the normal path (event log first, then a
 * tombstone), so every region drops its copy and the next read loads the new row. Changes of keys homed elsewhere
 * are left to their home region, which reads the same topic.
 *
 * <p>Offsets are committed after a poll's invalidations are done; a delete that fails (Kafka or Redis away) is
 * retried until it succeeds, never skipped. A change that cannot be mapped to a key is logged with its topic,
 * partition and offset, counted in {@code meridian_changes_total{outcome="malformed"}}, and skipped.
 */
@ApplicationScoped
class ChangeInvalidator {

    private static final Logger LOG = Logger.getLogger(ChangeInvalidator.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(10);

    private final Namespaces namespaces;
    private final HomeRegions homes;
    private final KeyCache cache;
    private final MeterRegistry metrics;
    private final Map<String, Object> kafka;
    private final String self;
    private final List<Loop> loops = new ArrayList<>();

    public ChangeInvalidator(
            Namespaces namespaces,
            HomeRegions homes,
            KeyCache cache,
            MeterRegistry metrics,
            Regions regions,
            MeridianConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.namespaces = namespaces;
        this.homes = homes;
        this.cache = cache;
        this.metrics = metrics;
        this.kafka = kafka;
        this.self = regions.self();
    }

    void start(@Observes StartupEvent start) {
        namespaces
                .all()
                .forEach((name, namespace) -> namespace.changes().ifPresent(changes -> {
                    Loop loop = new Loop(name, changes);
                    loops.add(loop);
                    loop.thread.start();
                }));
    }

    void stop(@Observes ShutdownEvent stop) {
        loops.forEach(Loop::stop);
    }

    /** One namespace's change topic: its consumer and the thread that polls it. */
    private final class Loop implements Runnable {

        private final String namespace;
        private final NamespaceConfig.ChangesConfig changes;
        private final Map<String, Object> config;
        private volatile KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Loop(String namespace, NamespaceConfig.ChangesConfig changes) {
            this.namespace = namespace;
            this.changes = changes;
            this.config = new HashMap<>(kafka);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "meridian-changes-" + self + "-" + namespace);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "meridian-changes-" + namespace);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
            this.thread = new Thread(this, "meridian-changes-" + namespace);
            this.thread.setDaemon(true);
        }

        /**
         * Polls until stopped, and never stops for good: after any failure (a commit that timed out, a broker away)
         * the consumer is closed and a new one resumes from the committed offsets after a pause.
         */
        @Override
        public void run() {
            while (running) {
                try {
                    consumer.subscribe(List.of(changes.topic()));
                    LOG.infof("invalidating %s from row changes on %s", namespace, changes.topic());
                    while (running) {
                        ConsumerRecords<String, String> records = consumer.poll(POLL);
                        for (ConsumerRecord<String, String> record : records) {
                            handle(record);
                        }
                        if (!records.isEmpty()) {
                            consumer.commitSync();
                        }
                    }
                } catch (WakeupException stopping) {
                    // stop() woke the poll up.
                } catch (RuntimeException e) {
                    LOG.warnf("reading row changes from %s failed, again in 1 s: %s", changes.topic(), e.toString());
                } finally {
                    consumer.close(Duration.ofSeconds(5));
                }
                if (running) {
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
                }
            }
        }

        private void handle(ConsumerRecord<String, String> record) {
            Optional<String> key;
            try {
                key = ChangeEvents.keyOf(record.value(), changes.keyTemplate(), changes.table());
                key.ifPresent(k -> KeyRules.require(k, "key"));
            } catch (RuntimeException malformed) {
                LOG.warnf(
                        "skipping a row change of %s-%d at offset %d: %s",
                        record.topic(), record.partition(), record.offset(), malformed.getMessage());
                count("malformed");
                return;
            }
            if (key.isEmpty()) {
                count("ignored");
                return;
            }
            while (running) {
                try {
                    String home = homes.homeOf(namespace, key.get()).await().atMost(DELETE_TIMEOUT);
                    if (!home.equals(self)) {
                        count("elsewhere");
                        return;
                    }
                    cache.delete(namespace, key.get()).await().atMost(DELETE_TIMEOUT);
                    count("invalidated");
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("cannot invalidate %s/%s yet, retrying: %s", namespace, key.get(), e.getMessage());
                    pause();
                }
            }
        }

        private void count(String outcome) {
            metrics.counter("meridian.changes", "namespace", namespace, "outcome", outcome)
                    .increment();
        }

        private void pause() {
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }

        void stop() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

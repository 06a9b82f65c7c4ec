package io.meridian.gateway.hotkeys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.micrometer.core.instrument.Gauge;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * This gateway's hot keys: every read is counted ({@link TopKeys}, per tumbling window of
 * {@code meridian.hot-keys.window}); at the end of each window the keys read at least {@code min-reads} times become
 * the hot list, shown in {@code /v1/status} and {@code meridian_hot_keys}, and are announced on
 * {@code meridian.<region>.hotkeys} as one JSON message:
 * {@code {"region":"us-east","keys":[{"namespace":"tweets","key":"t1","home":"eu-west","reads":1234}]}}. Other
 * regions' replicators fill those keys from their home before their own readers miss them.
 */
@ApplicationScoped
public class HotKeys {

    private static final Logger LOG = Logger.getLogger(HotKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char SEPARATOR = '\u0000'; // keys and namespaces never contain control characters

    /** One hot key of the last window. */
    public record Hot(String namespace, String key, String home, long reads) {}

    private final MeridianConfig.HotKeysConfig config;
    private final Degradation degradation;
    private final String region;
    private final String topic;
    private final Map<String, Object> kafka;
    private final TopKeys window;
    private volatile List<Hot> hot = List.of();
    private volatile java.util.Set<String> hotIds = java.util.Set.of();
    private KafkaProducer<String, String> producer;
    private ScheduledExecutorService timer;

    public HotKeys(
            MeridianConfig config,
            Regions regions,
            MeterRegistry metrics,
            Degradation degradation,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.degradation = degradation;
        this.config = config.hotKeys();
        this.region = regions.self();
        this.topic = "meridian." + region + ".hotkeys";
        this.kafka = kafka;
        this.window = new TopKeys(Math.max(64, 4 * this.config.top()), 1 << 14);
        Gauge.builder("meridian.hot.keys", this, keys -> keys.hot.size())
                .description("Keys this gateway found hot in the last window")
                .register(metrics);
    }

    void start(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put(ProducerConfig.ACKS_CONFIG, "1");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "meridian-hotkeys");
        producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-hot-keys");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.window().toMillis();
        timer.scheduleAtFixedRate(this::roll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }

    /** Counts one read of a key homed in {@code home}. */
    public void read(String namespace, String key, String home) {
        if (!config.enabled() || !degradation.allows(Level.Feature.STATISTICS)) {
            return;
        }
        String id = namespace + SEPARATOR + key + SEPARATOR + home;
        synchronized (window) {
            window.record(id);
        }
    }

    /** @return whether a key was hot in the last window */
    public boolean isHot(String namespace, String key) {
        return hotIds.contains(namespace + SEPARATOR + key);
    }

    /** @return the hot keys of the last window, most read first */
    public List<Hot> current() {
        return hot;
    }

    private void roll() {
        List<TopKeys.Hot> top;
        synchronized (window) {
            top = window.roll(config.top(), config.minReads());
        }
        List<Hot> now = new ArrayList<>(top.size());
        for (TopKeys.Hot entry : top) {
            String[] parts = entry.id().split(String.valueOf(SEPARATOR), 3);
            now.add(new Hot(parts[0], parts[1], parts[2], entry.reads()));
        }
        hot = List.copyOf(now);
        hotIds = now.stream()
                .map(entry -> entry.namespace() + SEPARATOR + entry.key())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        if (!now.isEmpty() && degradation.allows(Level.Feature.HOT_KEY_BROADCAST)) {
            announce(now);
        }
    }

    private void announce(List<Hot> keys) {
        try {
            String message = JSON.writeValueAsString(Map.of("region", region, "keys", keys));
            producer.send(new ProducerRecord<>(topic, region, message), (metadata, failure) -> {
                if (failure != null) {
                    LOG.debugf("cannot announce hot keys: %s", failure.getMessage());
                }
            });
        } catch (Exception e) {
            LOG.debugf("cannot announce hot keys: %s", e.getMessage());
        }
    }
}

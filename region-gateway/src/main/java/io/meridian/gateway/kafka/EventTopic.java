package io.meridian.gateway.kafka;

import io.meridian.coherence.event.EventTopics;
import io.meridian.gateway.config.MeridianConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates this region's event topic when it is missing, with the configured partitions and replication factor, in
 * the background: a gateway starts (and answers 503 on writes) even while Kafka is away, and retries until the topic
 * exists. Production deployments that provision topics turn this off ({@code meridian.event-log.create-topic}).
 */
@ApplicationScoped
class EventTopic {

    private static final Logger LOG = Logger.getLogger(EventTopic.class);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(5);

    private final MeridianConfig config;
    private final Map<String, Object> kafka;
    private volatile boolean ready;

    public EventTopic(MeridianConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.eventLog().createTopic()) {
            ready = true;
            return;
        }
        Uni.createFrom()
                .item(this::ensureTopic)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure()
                .retry()
                .withBackOff(RETRY_EVERY, RETRY_EVERY)
                .indefinitely()
                .subscribe()
                .with(created -> {
                    ready = true;
                    LOG.infof("event topic %s ready", EventTopics.events(config.region()));
                });
    }

    /** @return true once the event topic is known to exist (or is provisioned outside the gateway) */
    public boolean isReady() {
        return ready;
    }

    private boolean ensureTopic() {
        String topic = EventTopics.events(config.region());
        NewTopic newTopic = new NewTopic(
                topic, config.eventLog().partitions(), config.eventLog().replicationFactor());
        // The control topic: one partition (its records are ordered), compacted (the latest state per key is kept).
        NewTopic control = new NewTopic(
                        EventTopics.control(config.region()),
                        1,
                        config.eventLog().replicationFactor())
                .configs(Map.of("cleanup.policy", "compact"));
        try (AdminClient admin = AdminClient.create(adminConfig())) {
            var created = admin.createTopics(List.of(newTopic, control)).values();
            for (var result : created.values()) {
                try {
                    result.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return true;
        } catch (ExecutionException e) {
            LOG.warnf(
                    "cannot create event topic %s yet: %s", topic, e.getCause().getMessage());
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            LOG.warnf("cannot reach Kafka to create event topic %s yet", topic);
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = new java.util.HashMap<>(kafka);
        admin.put("request.timeout.ms", 5000);
        admin.put("default.api.timeout.ms", 10000);
        return admin;
    }
}

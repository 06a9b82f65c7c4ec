package io.meridian.gateway.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once this region's event topic exists: before that, every write would wait for it and time out. */
@Readiness
@ApplicationScoped
class EventTopicReadiness implements HealthCheck {

    private final EventTopic topic;

    public EventTopicReadiness(EventTopic topic) {
        this.topic = topic;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("meridian-event-topic")
                .status(topic.isReady())
                .build();
    }
}

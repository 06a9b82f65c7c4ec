package io.meridian.infra.servers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus app under test at the real Redis and the real Kafka broker that {@link SharedServers} runs once per
 * test JVM, so that every test class of a module shares them. Tests use unique keys and topics.
 */
public class SharedServersTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts", SharedServers.redis().uri(),
                "kafka.bootstrap.servers", SharedServers.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared servers outlive each test class; SharedServers stops them when the JVM exits.
    }
}

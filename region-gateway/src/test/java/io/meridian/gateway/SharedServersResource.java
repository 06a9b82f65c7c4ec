package io.meridian.gateway;

import io.meridian.infra.servers.SharedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the gateway under test at the real Redis and the real Kafka broker shared by every test class of this module
 * (started once per test JVM). Tests use unique keys so that they can share them in any order.
 */
public class SharedServersResource implements QuarkusTestResourceLifecycleManager {

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

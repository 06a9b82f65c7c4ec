package io.meridian.replicator;

import io.meridian.infra.servers.SharedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the replicator under test at the real Redis and Kafka broker shared by this module's test classes. */
public class SharedServersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts", SharedServers.redis().uri(),
                "kafka.bootstrap.servers", SharedServers.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // SharedServers stops them when the JVM exits.
    }
}

package io.meridian.gateway;

import io.meridian.infra.servers.KafkaBroker;
import io.meridian.infra.servers.RedisNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A Redis and a Kafka broker of a test's own, for tests that stop and restart them under a running gateway, so that
 * the shared servers stay up for every other test. Use it through a test profile's {@code testResources()}.
 */
public class OwnServersResource implements QuarkusTestResourceLifecycleManager {

    static RedisNode redis;
    static KafkaBroker kafka;

    @Override
    public Map<String, String> start() {
        try {
            redis = RedisNode.start();
            kafka = KafkaBroker.start(Files.createTempDirectory("meridian-own-kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Quarkus does not call stop() when the application fails to boot; never leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "own-test-servers-stop"));
        return Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public synchronized void stop() {
        if (redis != null) {
            redis.kill();
        }
        if (kafka != null) {
            kafka.kill();
        }
    }

    /** Restarts whichever server a test left stopped. */
    static void bringBack() {
        if (redis != null && !redis.isRunning()) {
            redis.restart();
        }
        if (kafka != null && !kafka.isRunning()) {
            kafka.restart();
        }
    }
}

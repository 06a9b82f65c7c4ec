package io.meridian.infra.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Redis and one Kafka broker per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Starting a broker costs ~10 s of a 2-core machine; sharing it between test classes keeps {@code ./mvnw verify}
 * well inside its budget. Tests that share must use unique keys and topics, and must not stop or restart these
 * servers: a test that takes a server away starts its own {@link RedisNode} or {@link KafkaBroker}.
 */
public final class SharedServers {

    private static RedisNode redis;
    private static KafkaBroker kafka;
    private static Path kafkaDir;
    private static boolean hookInstalled;

    private SharedServers() {}

    /** The shared Redis node, started on first call. */
    public static synchronized RedisNode redis() {
        if (redis == null || !redis.isRunning()) {
            installShutdownHook();
            redis = RedisNode.start();
        }
        return redis;
    }

    /** The shared Kafka broker, started on first call. */
    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            installShutdownHook();
            try {
                kafkaDir = Files.createTempDirectory("meridian-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder for kafka", e);
            }
            kafka = KafkaBroker.start(kafkaDir);
        } else if (!kafka.isRunning()) {
            kafka.restart();
        }
        return kafka;
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopAll, "meridian-shared-servers-stop"));
            hookInstalled = true;
        }
    }

    private static synchronized void stopAll() {
        if (redis != null) {
            redis.kill();
        }
        if (kafka != null) {
            // Its data is thrown away next, so there is nothing to shut down cleanly.
            kafka.kill();
            deleteRecursively(kafkaDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}

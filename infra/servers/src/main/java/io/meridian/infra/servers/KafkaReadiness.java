package io.meridian.infra.servers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits until a freshly started broker serves metadata. An open port is not enough: the broker accepts connections
 * before its controller has elected itself, and a producer started then waits out its own timeouts. A
 * {@code describeCluster} that names a broker means clients can work.
 */
final class KafkaReadiness {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private KafkaReadiness() {}

    static void await(ChildProcess broker, int port) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!LoopbackPorts.isOpen(port)) {
            checkProgress(broker, deadline, "its port to open");
            sleep(100);
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LoopbackPorts.HOST + ":" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        try (Admin admin = Admin.create(config)) {
            while (!servesMetadata(admin)) {
                checkProgress(broker, deadline, "metadata");
                sleep(200);
            }
        }
    }

    private static boolean servesMetadata(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
                    .nodes()
                    .get(6, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for kafka metadata");
        }
    }

    private static void checkProgress(ChildProcess broker, long deadline, String waitingFor) {
        if (!broker.isAlive()) {
            throw new ServerException(broker.name() + " exited with code " + broker.exitCode() + " while waiting for "
                    + waitingFor + "; log " + broker.logFile() + ":\n" + broker.logTail(30));
        }
        if (System.nanoTime() > deadline) {
            broker.kill();
            throw new ServerException(broker.name() + " was not ready within " + TIMEOUT + " (waiting for " + waitingFor
                    + "); log " + broker.logFile() + ":\n" + broker.logTail(30));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for kafka");
        }
    }
}

package io.meridian.infra.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) in a child JVM.
 *
 * <p>It runs from the broker jars that {@code infra/kafka-broker} copies to its {@code target/lib}, on a classpath
 * of its own, so the broker's Kafka version never meets the clients of the apps or tests. The folder is found
 * through system property {@code servers.kafka-lib} (not under {@code meridian.}, which the apps validate strictly), else env {@code MERIDIAN_KAFKA_LIB}, else
 * {@code <checkout>/infra/kafka-broker/target/lib}.
 *
 * <p>Ports and data survive {@link #restart()}, so a test can take Kafka away under a running gateway and bring the
 * same broker back with its topics and offsets.
 */
public final class KafkaBroker extends LoopbackServer {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path lib;
    private final List<Listener> listeners;

    private KafkaBroker(Path dataDir, Path logFile, int port, int controllerPort, Path lib, List<Listener> listeners) {
        super(port, logFile, STOP_GRACE);
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.lib = lib;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * A listener next to the broker's own, bound on {@code port} but advertised on {@code advertisedPort}: clients
     * that bootstrap through a proxy on {@code advertisedPort} are told to reconnect to that proxy, not to the broker,
     * so every connection they make (metadata, fetches, the group coordinator) goes through the proxy.
     *
     * @param name a Kafka listener name: upper-case letters, digits and {@code _}
     */
    public record Listener(String name, int port, int advertisedPort) {

        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*");

        public Listener {
            if (!NAME.matcher(name).matches() || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
                throw new IllegalArgumentException("bad listener name " + name);
            }
        }
    }

    /** Starts a broker keeping its data in {@code dataDir} and its log in {@code dataDir/broker.log}. */
    public static KafkaBroker start(Path dataDir) {
        return start(dataDir, dataDir.resolve("broker.log"));
    }

    /** Starts a broker keeping its data in {@code dataDir} and its log in {@code logFile}. */
    public static KafkaBroker start(Path dataDir, Path logFile) {
        return start(dataDir, logFile, List.of());
    }

    /**
     * Starts a broker keeping its data in {@code dataDir} and its log in {@code logFile}, with {@code listeners} next
     * to its own listener (whose address {@link #bootstrapServers()} names). The extra listeners' ports are the
     * caller's choice, so they must be free.
     */
    public static KafkaBroker start(Path dataDir, Path logFile, List<Listener> listeners) {
        Path lib = brokerLib();
        Path absolute = dataDir.toAbsolutePath();
        return LoopbackPorts.startOnFreePorts("kafka", () -> {
            int[] ports = LoopbackPorts.free(2);
            KafkaBroker broker = new KafkaBroker(absolute, logFile, ports[0], ports[1], lib, listeners);
            broker.writeConfiguration();
            broker.launch();
            return broker;
        });
    }

    /** {@code 127.0.0.1:port}, the value of {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    ChildProcess startProcess() {
        if (!Files.exists(dataDir.resolve("data").resolve("meta.properties"))) {
            format();
        }
        List<String> command = List.of(
                java(),
                "-Xmx384m",
                "-Xms64m",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties"),
                "-cp",
                lib + "/*",
                "kafka.Kafka",
                serverProperties().toString());
        ChildProcess broker = ChildProcess.start("kafka " + bootstrapServers(), command, dataDir, logFile(), Map.of());
        KafkaReadiness.await(broker, port());
        return broker;
    }

    /** Formats the KRaft metadata log once; a broker refuses to start on unformatted storage. */
    private void format() {
        List<String> command = List.of(
                java(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties"),
                "-cp",
                lib + "/*",
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId(),
                "-c",
                serverProperties().toString());
        ChildProcess formatter = ChildProcess.start("kafka storage format", command, dataDir, logFile(), Map.of());
        if (!formatter.awaitExit(Duration.ofSeconds(60)) || formatter.exitCode() != 0) {
            formatter.kill();
            throw new ServerException("formatting Kafka storage in " + dataDir + " failed; log " + logFile() + ":\n"
                    + formatter.logTail(30));
        }
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(
                    serverProperties(), KafkaBrokerSettings.serverProperties(dataDir, port, controllerPort, listeners));
            Files.writeString(dataDir.resolve("log4j2.properties"), KafkaBrokerSettings.log4j2());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Kafka configuration to " + dataDir, e);
        }
    }

    private Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    /** A KRaft cluster id is a UUID in URL-safe base64 without padding: 22 characters. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes =
                ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The folder with the broker's jars, checked so that a missing build says what to run. */
    public static Path brokerLib() {
        String configured = System.getProperty("servers.kafka-lib", System.getenv("MERIDIAN_KAFKA_LIB"));
        Path lib = configured != null && !configured.isBlank() && !configured.contains("${")
                ? Path.of(configured)
                : RepositoryRoot.require().resolve("infra/kafka-broker/target/lib");
        try (var jars = Files.list(lib)) {
            if (jars.anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13-"))) {
                return lib.toAbsolutePath();
            }
        } catch (IOException e) {
            // Reported below.
        }
        throw new ServerException("no Kafka broker jars in " + lib
                + "; build them with: ./mvnw -q install -pl infra/kafka-broker (or set MERIDIAN_KAFKA_LIB)");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return "kafka " + bootstrapServers();
    }
}

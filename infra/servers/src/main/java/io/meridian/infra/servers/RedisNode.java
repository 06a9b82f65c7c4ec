package io.meridian.infra.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} process on 127.0.0.1, for tests and the local launcher.
 *
 * <p>It runs as our own child process (not through {@code redis.embedded.RedisServer}) so that we know its PID,
 * can kill it abruptly, restart it on the same port under a running gateway, and leave it running after the JVM
 * exits. Persistence is off ({@code save ""}, {@code appendonly no}): a restart comes back empty, like a cache node
 * that lost its memory, which is what the gateway must survive.
 */
public final class RedisNode extends LoopbackServer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Path configFile;

    private RedisNode(int port, Path dir, Path logFile, Path configFile) {
        super(port, logFile, STOP_GRACE);
        this.port = port;
        this.dir = dir;
        this.configFile = configFile;
    }

    /** Starts a standalone node on a free port, in a temporary folder. */
    public static RedisNode start() {
        return start(0, List.of());
    }

    /**
     * Starts a node on {@code port} (0 for a free one) with extra configuration lines, e.g. {@code "cluster-enabled
     * yes"} (a leading {@code --} is accepted, as on the redis-server command line).
     */
    public static RedisNode start(int port, List<String> extraConfig) {
        Path dir = temporaryFolder();
        return start(port, extraConfig, dir, dir.resolve("redis.log"));
    }

    /** Starts a node with its working folder (cluster nodes.conf lives there) and log file chosen by the caller. */
    public static RedisNode start(int port, List<String> extraConfig, Path dir, Path logFile) {
        if (port != 0) {
            return launch(port, extraConfig, dir, logFile);
        }
        return LoopbackPorts.startOnFreePorts("redis", () -> launch(LoopbackPorts.free(), extraConfig, dir, logFile));
    }

    private static RedisNode launch(int port, List<String> extraConfig, Path dir, Path logFile) {
        Path configFile = dir.resolve("redis-" + port + ".conf");
        writeConfig(configFile, port, dir, extraConfig);
        RedisNode node = new RedisNode(port, dir, logFile, configFile);
        node.launch();
        return node;
    }

    /** {@code redis://127.0.0.1:port}, the form Quarkus' {@code quarkus.redis.hosts} takes. */
    public String uri() {
        return "redis://" + LoopbackPorts.HOST + ":" + port;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return LoopbackPorts.HOST + ":" + port;
    }

    @Override
    ChildProcess startProcess() {
        List<String> command = List.of(RedisBinary.locate().toString(), configFile.toString());
        ChildProcess redis = ChildProcess.start("redis :" + port(), command, dir, logFile(), Map.of());
        awaitReady(redis);
        return redis;
    }

    private void awaitReady(ChildProcess process) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new ServerException("redis :" + port + " exited with code " + process.exitCode()
                        + " before it was ready; log " + logFile() + ":\n" + process.logTail(20));
            }
            if (System.nanoTime() > deadline) {
                process.kill();
                throw new ServerException("redis :" + port + " did not answer PING within " + READY_TIMEOUT + "; log "
                        + logFile() + ":\n" + process.logTail(20));
            }
            pause();
        }
    }

    /** Sends an inline PING; a node still loading answers -LOADING, which is not ready. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LoopbackPorts.HOST, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeConfig(Path configFile, int port, Path dir, List<String> extraConfig) {
        List<String> lines = new ArrayList<>(List.of(
                "port " + port,
                "bind " + LoopbackPorts.HOST,
                "dir " + dir.toAbsolutePath(),
                "save \"\"",
                "appendonly no",
                "daemonize no",
                "protected-mode no"));
        extraConfig.stream()
                .map(line -> line.startsWith("--") ? line.substring(2) : line)
                .forEach(lines::add);
        try {
            Files.createDirectories(dir);
            Files.write(configFile, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("meridian-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for redis", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for redis");
        }
    }

    @Override
    public String toString() {
        return "redis " + address();
    }
}

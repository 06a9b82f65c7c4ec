package io.meridian.infra.bench;

import io.meridian.infra.servers.LoopbackPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Webdis, the C HTTP front of Redis that {@code bench peers} compares the gateway with: started on loopback in front
 * of the same Redis, with as many threads as the machine has cores, stopped by {@link #close}.
 */
final class WebdisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private WebdisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Webdis in front of {@code redisAddress} ({@code host:port}) and waits until it accepts connections. */
    static WebdisServer start(Path webdis, String redisAddress, Path workDir) {
        String[] hostPort = redisAddress.split(":");
        int port = LoopbackPorts.free();
        int threads = Runtime.getRuntime().availableProcessors();
        String config = """
                {
                  "redis_host": "%s",
                  "redis_port": %s,
                  "http_host": "127.0.0.1",
                  "http_port": %d,
                  "threads": %d,
                  "pool_size": 20,
                  "daemonize": false,
                  "websockets": false,
                  "database": 0,
                  "verbosity": 1,
                  "logfile": "%s"
                }
                """.formatted(hostPort[0], hostPort[1], port, threads, workDir.resolve("webdis.log"));
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("webdis.json");
            Files.writeString(file, config);
            Process process = new ProcessBuilder(webdis.toString(), file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("webdis.out").toFile())
                    .start();
            WebdisServer server = new WebdisServer(process, port);
            server.awaitListening(Duration.ofSeconds(20));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start webdis: " + e.getMessage(), e);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    private void awaitListening(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("webdis exited at start with code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        close();
        throw new IllegalStateException("webdis did not listen on 127.0.0.1:" + port + " within " + bound);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

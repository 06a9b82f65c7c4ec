package io.meridian.infra.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Free ports and port probes on 127.0.0.1. Every server Meridian starts locally binds the loopback interface only, so
 * nothing it runs is reachable from the network.
 *
 * <p>A port handed out by {@link #free()} is closed again before the server binds it, so another process could take
 * it in between, and the launcher plans a cluster's ports seconds before the last of its servers binds them. The
 * ports are therefore drawn below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, from
 * 32768 where it cannot be read), which the kernel hands to outgoing connections: the many connections a starting
 * cluster makes (health probes, Kafka clients) cannot land on a planned port. Only another process binding a port of
 * its choice in between can, and the server then fails to start with a clear message.
 */
public final class LoopbackPorts {

    /** The only address local servers bind. */
    public static final String HOST = "127.0.0.1";

    /** How often a server on freshly chosen ports is tried before its start fails. */
    public static final int START_ATTEMPTS = 3;

    /** The lowest port handed out: above the well-known and most registered server ports. */
    static final int LOWEST = 10_000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int EPHEMERAL_DEFAULT_START = 32_768;
    private static final int TRIES = 200;

    private LoopbackPorts() {}

    /** A port that nothing listens on right now, below the ephemeral range. */
    public static int free() {
        return free(1)[0];
    }

    /**
     * {@code count} distinct ports that nothing listens on right now, below the ephemeral range. All of them are held
     * open until the last is chosen, so the same port is not handed out twice.
     */
    public static int[] free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress host = InetAddress.getByName(HOST);
            int bound = ephemeralStart() - LOWEST;
            for (int tries = 0; held.size() < count && tries < TRIES * count; tries++) {
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(
                            new InetSocketAddress(
                                    host, LOWEST + ThreadLocalRandom.current().nextInt(bound)),
                            1);
                    held.add(socket);
                } catch (IOException taken) {
                    socket.close();
                }
            }
            if (held.size() < count) {
                throw new IOException("found " + held.size() + " in " + TRIES * count + " tries between " + LOWEST
                        + " and " + (LOWEST + bound));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + count + " free ports on " + HOST + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing a listening socket that accepted nothing does not fail in practice.
                }
            }
        }
    }

    /**
     * Runs {@code start} up to {@link #START_ATTEMPTS} times: a server started on a port from {@link #free()} can lose
     * it to another process in the moment between the probe and its own bind, and a fresh port then fixes it. Each
     * failure is reported on standard error, so a server that cannot start for another reason still says why.
     */
    public static <T> T startOnFreePorts(String what, Supplier<T> start) {
        ServerException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return start.get();
            } catch (ServerException e) {
                last = e;
                System.err.println("[meridian] " + what + " did not start (attempt " + attempt + " of " + START_ATTEMPTS
                        + "): " + e.getMessage());
            }
        }
        throw last;
    }

    /** The first port of the kernel's ephemeral range, where it can be read and leaves room below it. */
    static int ephemeralStart() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int start = Integer.parseInt(range[0]);
            return start > LOWEST + 1_000 ? start : EPHEMERAL_DEFAULT_START;
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT_START;
        }
    }

    /** Whether something accepts TCP connections on {@code port} of 127.0.0.1. */
    public static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), (int)
                    Duration.ofMillis(500).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package io.meridian.infra.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Free ports and port probes on 127.0.0.1. Every server Meridian starts locally binds the loopback interface only, so
 * nothing it runs is reachable from the network.
 *
 * <p>A port handed out by {@link #free()} is closed again before the server binds it, so another process could take
 * it in between; the window is a few milliseconds and the server then fails to start with a clear message, which is
 * the trade every "free port" helper of this kind makes (Testcontainers, Quarkus test ports).
 */
public final class LoopbackPorts {

    /** The only address local servers bind. */
    public static final String HOST = "127.0.0.1";

    /** How often a server on freshly chosen ports is tried before its start fails. */
    public static final int START_ATTEMPTS = 3;

    private LoopbackPorts() {}

    /** A port that nothing listens on right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /**
     * {@code count} distinct ports that nothing listens on right now. All of them are held open until the last is
     * chosen, so the kernel cannot hand out the same port twice (two separate {@link #free()} calls can).
     */
    public static int[] free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                socket.setReuseAddress(true);
                held.add(socket);
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + count + " free ports on " + HOST, e);
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

package io.meridian.infra.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

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

package io.meridian.infra.links;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback from one port to another that can be cut, delayed and healed while it runs: the network
 * between two regions, as far as one kind of traffic is concerned.
 *
 * <ul>
 *   <li><b>open</b>: bytes are copied both ways as they come;
 *   <li><b>delayed</b>: each chunk read is held for the delay before it is written on, in both directions (so a
 *       request and its answer each take the delay once more);
 *   <li><b>cut</b>: every connection through the proxy is closed at once, and new ones are accepted but never connected
 *       on (a black hole: clients wait for their own timeouts, as across a real partition, instead of being refused at
 *       once); those are closed when the link heals, so their clients reconnect.
 * </ul>
 *
 * <p>Blocking sockets with two platform threads per connection: the proxies carry a few dozen long-lived connections
 * (HTTP keep-alive pools, Kafka clients), and the number per proxy is bounded by {@link #MAX_CONNECTIONS}.
 */
final class LinkProxy implements AutoCloseable {

    /** Connections (open or held in the black hole) a proxy keeps at once; more are closed on accept. */
    static final int MAX_CONNECTIONS = 256;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int BUFFER_BYTES = 16 * 1024;

    /** What the link does to traffic now. */
    public record Condition(boolean cut, Duration delay) {

        public static final Condition OPEN = new Condition(false, Duration.ZERO);
        public static final Condition CUT = new Condition(true, Duration.ZERO);

        public Condition {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delay);
            }
        }

        public static Condition delayed(Duration delay) {
            return new Condition(false, delay);
        }

        @Override
        public String toString() {
            return cut ? "cut" : delay.isZero() ? "open" : "delayed " + delay.toMillis() + " ms";
        }
    }

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile Condition condition = Condition.OPEN;

    private LinkProxy(String name, ServerSocket server, InetSocketAddress target) {
        this.name = name;
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "link " + name + " accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code 127.0.0.1:port} (0 for any free port) and forwards to {@code 127.0.0.1:targetPort}.
     *
     * @param name what the link carries, for thread names and status, e.g. {@code us-east->eu-west http}
     */
    public static LinkProxy start(String name, int port, int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(loopback, port), 128);
        LinkProxy proxy = new LinkProxy(name, server, new InetSocketAddress(loopback, targetPort));
        proxy.acceptor.start();
        return proxy;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getLocalPort();
    }

    public int targetPort() {
        return target.getPort();
    }

    public Condition condition() {
        return condition;
    }

    /** Connections open through the proxy now (not counting those held by a cut). */
    public int connections() {
        return sockets.size() / 2;
    }

    /** Closes every connection and black-holes new ones until {@link #heal()}. */
    public void cut() {
        condition = Condition.CUT;
        closeAll(sockets);
    }

    /** Holds every chunk for {@code delay} before passing it on; ends a cut. */
    public void delay(Duration delay) {
        condition = Condition.delayed(delay);
        closeAll(held);
    }

    /** Back to normal: traffic flows at once, and connections held by a cut are closed so their clients reconnect. */
    public void heal() {
        condition = Condition.OPEN;
        closeAll(held);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket does not fail in practice; the accept loop ends either way.
        }
        closeAll(sockets);
        closeAll(held);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (sockets.size() / 2 + held.size() >= MAX_CONNECTIONS) {
                closeQuietly(client);
            } else if (condition.cut()) {
                held.add(client);
                // A heal or delay between the check and the add would leave the connection held for good.
                if (!condition.cut()) {
                    held.remove(client);
                    closeQuietly(client);
                }
            } else {
                connect(client);
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        // A cut between the connect and the adds must not let this connection through.
        if (condition.cut()) {
            closeConnection(client, upstream);
            return;
        }
        Pump toTarget = new Pump(client, upstream);
        Pump toClient = new Pump(upstream, client);
        toTarget.other = toClient;
        toClient.other = toTarget;
        start(toTarget, "up");
        start(toClient, "down");
    }

    private void start(Pump pump, String direction) {
        Thread thread = new Thread(pump, "link " + name + " " + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeConnection(Socket a, Socket b) {
        sockets.remove(a);
        sockets.remove(b);
        closeQuietly(a);
        closeQuietly(b);
    }

    private static void closeAll(Set<Socket> set) {
        for (Socket socket : Set.copyOf(set)) {
            set.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already broken: nothing more to close.
        }
    }

    /** Copies one direction of a connection; a half-close is passed on, and the second to end closes both. */
    private final class Pump implements Runnable {

        private final Socket from;
        private final Socket to;
        private Pump other;
        private volatile boolean done;

        Pump(Socket from, Socket to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try {
                // Not closed here: closing a socket's stream closes the socket, and the other direction may go on.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    hold();
                    out.write(buffer, 0, read);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // Cut, closed by the other side, or reset: the connection is over.
                closeConnection(from, to);
            } finally {
                done = true;
                if (other.done) {
                    closeConnection(from, to);
                }
            }
        }

        /** The link's delay, if any, for this chunk. */
        private void hold() throws IOException {
            Duration delay = condition.delay();
            if (delay.isZero()) {
                return;
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while delaying", e);
            }
        }
    }
}

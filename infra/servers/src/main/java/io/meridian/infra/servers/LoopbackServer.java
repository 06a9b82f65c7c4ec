package io.meridian.infra.servers;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The life cycle shared by the servers tests and the launcher run as child processes on a loopback port: stop
 * gracefully, kill as a crash would, restart on the same port, and return only once the port is closed.
 */
public abstract class LoopbackServer {

    private static final Duration PORT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path logFile;
    private final Duration stopGrace;
    private volatile ChildProcess process;

    LoopbackServer(int port, Path logFile, Duration stopGrace) {
        this.port = port;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
    }

    /** Starts the server's process and returns it once the server answers. */
    abstract ChildProcess startProcess();

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        ChildProcess current = process;
        return current != null && current.isAlive();
    }

    /** Stops the server (SIGTERM, SIGKILL after the grace period) and returns once its port is closed. */
    public synchronized void stop() {
        halt(stopGrace);
    }

    /** Kills the server with SIGKILL, as a crashed host would, and returns once its port is closed. */
    public synchronized void kill() {
        halt(Duration.ZERO);
    }

    /** Stops the server if it runs and starts it again on the same port and folder. */
    public synchronized void restart() {
        if (isRunning()) {
            stop();
        }
        launch();
    }

    synchronized void launch() {
        process = startProcess();
    }

    /** The running process, for subclasses that wait on it while it starts. */
    ChildProcess process() {
        return process;
    }

    private void halt(Duration grace) {
        ChildProcess current = process;
        if (current == null) {
            return;
        }
        if (grace.isZero()) {
            current.kill();
        } else {
            current.stop(grace);
        }
        long deadline = System.nanoTime() + PORT_CLOSE_TIMEOUT.toNanos();
        while (LoopbackPorts.isOpen(port)) {
            if (System.nanoTime() > deadline) {
                throw new ServerException(current.name() + " stopped but its port " + port + " is still open");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package io.meridian.gateway.kafka;

import io.meridian.gateway.config.MeridianConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends a heartbeat on every partition of this region's topic at a fixed interval, so that other regions' watermarks
 * for this region advance even when nobody writes. Runs on its own thread: a send may block while Kafka is away.
 */
@ApplicationScoped
class HeartbeatEmitter {

    private static final Logger LOG = Logger.getLogger(HeartbeatEmitter.class);

    private final EventLog log;
    private final long intervalMillis;
    private ScheduledExecutorService timer;
    private volatile boolean warned;

    public HeartbeatEmitter(EventLog log, MeridianConfig config) {
        this.log = log;
        this.intervalMillis = config.eventLog().heartbeatInterval().toMillis();
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void beat() {
        try {
            log.heartbeat();
            warned = false;
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warnf("heartbeats paused, Kafka unreachable: %s", e.getMessage());
                warned = true;
            }
        }
    }
}

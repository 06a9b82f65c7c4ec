package io.meridian.gateway.kafka;

import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends the region's event buffer to Kafka when Kafka returns. Every gateway looks at the buffer every
 * {@code poll-interval} (which also tells its {@link EventLog} whether it may send to Kafka itself); while the buffer
 * holds events, the gateway that holds the region's relay lock (a Redis key with a TTL, renewed every round, so a
 * relay that dies is replaced) sends them in rounds: the oldest {@code relay-batch} events, in version order, with the
 * idempotent {@code acks=all} producer, then removes them once Kafka has acknowledged every one, until the buffer is
 * empty. An event sent twice (a relay that died between the acknowledgement and the removal) is harmless: applying is
 * idempotent, and the floor heartbeat of the next round keeps the watermark below it.
 */
@ApplicationScoped
public class BufferRelay {

    private static final Logger LOG = Logger.getLogger(BufferRelay.class);

    private final EventLog log;
    private final EventBuffer buffer;
    private final GatewayMetrics metrics;
    private final long pollMillis;
    private final int batch;
    private final String holder;
    private volatile long length;
    private volatile boolean warned;
    private ScheduledExecutorService timer;

    public BufferRelay(
            EventLog log, EventBuffer buffer, GatewayMetrics metrics, Regions regions, MeridianConfig config) {
        this.log = log;
        this.buffer = buffer;
        this.metrics = metrics;
        this.pollMillis = config.eventLog().buffer().pollInterval().toMillis();
        this.batch = config.eventLog().buffer().relayBatch();
        this.holder = regions.self() + "/" + UUID.randomUUID();
        metrics.eventBufferLength(this, BufferRelay::length);
    }

    void start(@Observes StartupEvent start) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meridian-buffer-relay");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::tick, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
        buffer.releaseRelay(holder);
    }

    /** @return the buffer's length at the last look (every gateway of the region sees the same buffer) */
    public long length() {
        return length;
    }

    private void tick() {
        try {
            length = log.refreshDraining();
            if (length > 0 && buffer.holdRelay(holder)) {
                drain();
            }
            if (warned) {
                LOG.info("event buffer relay working again");
                warned = false;
            }
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warnf("event buffer not relayed yet (%d events buffered): %s", length, e.getMessage());
                warned = true;
            }
        }
    }

    /** Relays round after round while this gateway holds the lock and the buffer holds events. */
    private void drain() {
        long lastRelayed = -1;
        while (true) {
            List<EventBuffer.Entry> oldest = buffer.oldest(batch);
            if (oldest.isEmpty()) {
                if (lastRelayed >= 0) {
                    // Everything relayed is acknowledged: the watermark may now reach the last of it.
                    log.relay(List.of(), lastRelayed);
                }
                buffer.releaseRelay(holder);
                return;
            }
            log.relay(oldest, oldest.get(0).version().hlc() - 1);
            buffer.remove(oldest);
            metrics.eventsRelayed(oldest.size());
            lastRelayed = oldest.get(oldest.size() - 1).version().hlc();
            length = Math.max(0, length - oldest.size());
            if (!buffer.holdRelay(holder)) {
                return;
            }
        }
    }
}

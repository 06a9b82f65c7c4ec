package io.meridian.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own metrics, exported at {@code /q/metrics} with the {@code meridian_} prefix:
 *
 * <ul>
 *   <li>{@code meridian_requests_total{namespace,op,outcome}} and {@code meridian_request_seconds} (histogram)
 *   <li>{@code meridian_cache_hits_total{namespace}}, {@code meridian_cache_misses_total{namespace}}
 *   <li>{@code meridian_kafka_produce_seconds{outcome}} (histogram): append latency of the event log; outcome
 *       {@code ok}, {@code error} or {@code buffered} (kept in the event buffer instead)
 *   <li>{@code meridian_event_buffer_length}, {@code meridian_event_buffer_appended_total},
 *       {@code meridian_event_buffer_relayed_total}, {@code meridian_event_buffer_full_total}: the region's event
 *       buffer (Kafka outages, {@code kafka-outage-policy=buffer})
 * </ul>
 */
@ApplicationScoped
public class GatewayMetrics {

    private static final Duration[] SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)
    };

    private final MeterRegistry registry;
    /**
     * The meters of the request path, found once: building tags and looking a meter up in the registry on every
     * request was a measured share of a GET's CPU (docs/performance.md).
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A counter of {@code name} with one {@code namespace} tag, registered at its first use. */
    private Counter perNamespace(String name, String namespace) {
        return counters.computeIfAbsent(
                name + '\u0000' + namespace, key -> registry.counter(name, "namespace", namespace));
    }

    /** Records one answered request. */
    public void request(String namespace, String op, int status, long nanos) {
        String outcome = outcome(status);
        String key = namespace + '\u0000' + op + '\u0000' + outcome;
        counters.computeIfAbsent(
                        "meridian.requests\u0000" + key,
                        ignored -> Counter.builder("meridian.requests")
                                .description("Requests answered, by namespace, operation and outcome")
                                .tags("namespace", namespace, "op", op, "outcome", outcome)
                                .register(registry))
                .increment();
        timers.computeIfAbsent(
                        key,
                        ignored -> Timer.builder("meridian.request")
                                .description("Request latency")
                                .tags("namespace", namespace, "op", op, "outcome", outcome)
                                .serviceLevelObjectives(SLOS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one write refused by the adaptive write limit ({@code 503 overloaded}, nothing written). */
    public void writeRefused() {
        counters.computeIfAbsent(
                        "meridian.writes.refused",
                        name -> Counter.builder(name)
                                .description("Writes refused by the adaptive write limit before they did anything")
                                .register(registry))
                .increment();
    }

    public void hit(String namespace) {
        perNamespace("meridian.cache.hits", namespace).increment();
    }

    public void miss(String namespace) {
        perNamespace("meridian.cache.misses", namespace).increment();
    }

    /**
     * Records one call to a namespace's origin; {@code status} is the origin's 200 or 404, or -1 for a failure
     * (error status, timeout, refused connection).
     */
    public void originCall(String namespace, int status, long nanos) {
        String outcome = status == 200 ? "found" : status == 404 ? "not_found" : "error";
        Timer.builder("meridian.origin.calls")
                .description("Calls to a namespace's origin (read-through), by outcome")
                .tags("namespace", namespace, "outcome", outcome)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Records one write-through call to a namespace's origin; {@code status} -1 when it did not answer. */
    public void originWrite(String namespace, String op, int status, long nanos) {
        String outcome =
                status >= 200 && status < 300 ? "accepted" : status >= 400 && status < 500 ? "refused" : "error";
        Timer.builder("meridian.origin.writes")
                .description("Write-through calls to a namespace's origin, by operation and outcome")
                .tags("namespace", namespace, "op", op, "outcome", outcome)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Counts one read pushing a value's expiry forward (sliding TTL). */
    public void expiryRefreshed(String namespace) {
        perNamespace("meridian.expiry.refreshes", namespace).increment();
    }

    /** Counts one read answered from the near cache (also counted as a hit). */
    public void nearCacheHit(String namespace) {
        perNamespace("meridian.near.cache.hits", namespace).increment();
        hit(namespace);
    }

    /** Counts one read answered from a hot-key replica (also a hit). */
    public void replicaHit(String namespace) {
        perNamespace("meridian.hot.key.replica.hits", namespace).increment();
        hit(namespace);
    }

    /** Counts one background reload from the origin (early refresh or stale-while-revalidate). */
    public void originRefresh(String namespace) {
        perNamespace("meridian.origin.refreshes", namespace).increment();
    }

    /** Counts one expired value answered because the origin failed (stale-if-error). */
    public void staleAnswer(String namespace) {
        perNamespace("meridian.origin.stale.answers", namespace).increment();
    }

    /** Records one append to the event log: {@code ok}, {@code error} or {@code buffered}. */
    public void produced(long nanos, String outcome) {
        Timer.builder("meridian.kafka.produce")
                .description("Latency of appending an event to the region's Kafka topic (acks=all) or, when Kafka"
                        + " could not take it, to the region's event buffer")
                .tags("outcome", outcome)
                .serviceLevelObjectives(SLOS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Exports the region's event buffer length as this gateway last read it. */
    public <T> void eventBufferLength(T source, java.util.function.ToDoubleFunction<T> length) {
        io.micrometer.core.instrument.Gauge.builder("meridian.event.buffer.length", source, length)
                .description("Events in the region's event buffer, waiting for Kafka")
                .register(registry);
    }

    /** Counts one event appended to the event buffer. */
    public void eventBuffered() {
        registry.counter("meridian.event.buffer.appended").increment();
    }

    /** Counts one write refused because the event buffer was full. */
    public void eventBufferFull() {
        registry.counter("meridian.event.buffer.full").increment();
    }

    /** Counts events the relay sent from the buffer to Kafka (acknowledged). */
    public void eventsRelayed(int count) {
        registry.counter("meridian.event.buffer.relayed").increment(count);
    }

    /** @return hits / (hits + misses) over the gateway's lifetime, NaN before the first read */
    public double hitRate() {
        double hits = registry.find("meridian.cache.hits").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double misses = registry.find("meridian.cache.misses").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        return hits + misses == 0 ? Double.NaN : hits / (hits + misses);
    }

    static String outcome(int status) {
        if (status < 300) {
            return "ok";
        }
        if (status == 304 || status == 404) {
            return status == 304 ? "not_modified" : "not_found";
        }
        return status < 500 ? "client_error" : "server_error";
    }
}

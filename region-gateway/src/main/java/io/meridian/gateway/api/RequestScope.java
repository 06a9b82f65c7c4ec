package io.meridian.gateway.api;

import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.degradation.LoadRecorder;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every API call goes through: input checks that throw become failed answers, the whole call is bounded by the
 * request timeout (503, never a hang), writes are admitted only while fewer than {@code max-writes-in-flight} are under
 * way (503 {@code overloaded} otherwise, at once), and the outcome is counted and timed.
 */
@ApplicationScoped
class RequestScope {

    private final GatewayMetrics metrics;
    private final LoadRecorder degradation;
    private final Namespaces namespaces;
    private final Duration timeout;
    private final int maxWrites;
    private final AtomicInteger writesInFlight = new AtomicInteger();

    public RequestScope(
            GatewayMetrics metrics, Namespaces namespaces, LoadRecorder degradation, MeridianConfig config) {
        this.metrics = metrics;
        this.degradation = degradation;
        this.namespaces = namespaces;
        this.timeout = config.requestTimeout();
        this.maxWrites = config.maxWritesInFlight();
        if (maxWrites < 1) {
            throw new IllegalArgumentException("meridian.max-writes-in-flight must be at least 1, was " + maxWrites);
        }
    }

    /** Answers a read (or any call that changes nothing). */
    public Uni<Response> answer(String namespace, String op, Supplier<Uni<Response>> call) {
        return answer(namespace, op, false, call);
    }

    private Uni<Response> answer(String namespace, String op, boolean write, Supplier<Uni<Response>> call) {
        long started = System.nanoTime();
        return Uni.createFrom()
                .deferred(call::get)
                .ifNoItem()
                .after(timeout)
                .failWith(() -> timedOut(write))
                .onItemOrFailure()
                .invoke((response, failure) -> record(namespace, op, started, response, failure));
    }

    /**
     * Answers a write if fewer than {@code max-writes-in-flight} are under way, else 503 {@code overloaded} at once.
     * The slot is held until the write's answer is decided (done, failed or timed out).
     */
    public Uni<Response> write(String namespace, String op, Supplier<Uni<Response>> call) {
        return answer(namespace, op, true, () -> {
            if (writesInFlight.incrementAndGet() > maxWrites) {
                writesInFlight.decrementAndGet();
                return Uni.createFrom().failure(overloaded());
            }
            return Uni.createFrom().deferred(call::get).onTermination().invoke(writesInFlight::decrementAndGet);
        });
    }

    /** @return writes under way now */
    public int writesInFlight() {
        return writesInFlight.get();
    }

    private GatewayFailure overloaded() {
        return GatewayFailure.unavailable(
                "overloaded", "this gateway has " + maxWrites + " writes under way; retry after Retry-After");
    }

    private GatewayFailure timedOut(boolean write) {
        String detail = "the request did not complete within " + timeout.toMillis() + " ms";
        if (write) {
            return GatewayFailure.outcomeUnknown(
                    "timeout", detail + "; the write may still take effect: re-read with the session token");
        }
        return GatewayFailure.unavailable("timeout", detail);
    }

    private void record(String namespace, String op, long started, Response response, Throwable failure) {
        int status = failure == null ? response.getStatus() : statusOf(failure);
        // Only configured namespaces become metric labels, so that request paths cannot blow up cardinality.
        String label = namespaces.all().containsKey(namespace) ? namespace : "unknown";
        long took = System.nanoTime() - started;
        metrics.request(label, op, status, took);
        boolean own = isOwnFailure(status, failure);
        // A refusal because another region or the origin failed says nothing of this gateway's load, not even by
        // its latency (a cut link answers only after the forwarding timeout).
        if (status < 500 || own) {
            degradation.record(took, own);
        }
    }

    /** Failures that are not this region's own are not a reason for this gateway to degrade. */
    private static final java.util.Set<String> NOT_OWN_FAILURES = java.util.Set.of(
            "overloaded",
            "shed",
            "read-only",
            "home-region-unreachable",
            "origin-unavailable",
            "draining",
            "recovering",
            "node-identity",
            "clock-offset",
            "stale-home");

    /**
     * Whether an answer counts as an error for the degradation level: a 500, or a 503 of this region's own making
     * (its Redis or Kafka, a timeout). Refusals for load are the cure, not the disease, and another region or the
     * origin being down is not this gateway's overload.
     */
    static boolean isOwnFailure(int status, Throwable failure) {
        if (status < 500) {
            return false;
        }
        return !(failure instanceof GatewayFailure known && NOT_OWN_FAILURES.contains(known.type()));
    }

    private static int statusOf(Throwable failure) {
        return failure instanceof GatewayFailure e ? Statuses.of(e.kind()) : 500;
    }
}

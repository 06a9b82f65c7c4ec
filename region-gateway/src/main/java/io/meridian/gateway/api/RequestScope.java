package io.meridian.gateway.api;

import io.meridian.gateway.cache.Namespaces;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every API call goes through: input checks that throw become failed answers, the whole call is bounded by the
 * request timeout (503, never a hang), and the outcome is counted and timed.
 */
@ApplicationScoped
public class RequestScope {

    private final GatewayMetrics metrics;
    private final Namespaces namespaces;
    private final Duration timeout;

    public RequestScope(GatewayMetrics metrics, Namespaces namespaces, MeridianConfig config) {
        this.metrics = metrics;
        this.namespaces = namespaces;
        this.timeout = config.requestTimeout();
    }

    public Uni<Response> answer(String namespace, String op, Supplier<Uni<Response>> call) {
        long started = System.nanoTime();
        return Uni.createFrom()
                .deferred(call::get)
                .ifNoItem()
                .after(timeout)
                .failWith(this::timedOut)
                .onItemOrFailure()
                .invoke((response, failure) -> record(namespace, op, started, response, failure));
    }

    private MeridianException timedOut() {
        return MeridianException.unavailable(
                "timeout", "the request did not complete within " + timeout.toMillis() + " ms");
    }

    private void record(String namespace, String op, long started, Response response, Throwable failure) {
        int status = failure == null ? response.getStatus() : statusOf(failure);
        // Only configured namespaces become metric labels, so that request paths cannot blow up cardinality.
        String label = namespaces.all().containsKey(namespace) ? namespace : "unknown";
        metrics.request(label, op, status, System.nanoTime() - started);
    }

    private static int statusOf(Throwable failure) {
        return failure instanceof MeridianException e ? e.status() : 500;
    }
}

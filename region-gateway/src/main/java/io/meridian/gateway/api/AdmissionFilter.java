package io.meridian.gateway.api;

import com.netflix.concurrency.limits.Limiter;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.degradation.Level;
import io.meridian.gateway.degradation.PriorityShedding;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admission of every {@code /v1/} request before it runs: its {@code Meridian-Priority} (1 to 4, default 3) is read;
 * in {@link Level#SURVIVAL} writes other than priority 1 are refused ({@code 503 read-only}); then the adaptive
 * concurrency limit admits it or sheds it ({@code 503 shed}), at once, with {@code Retry-After}. The admin API is
 * always admitted, so an operator can release a pinned level.
 */
class AdmissionFilter {

    /** The request header. */
    public static final String PRIORITY_HEADER = "Meridian-Priority";

    private final Degradation degradation;
    private final PriorityShedding shedding;
    private final long retryAfterSeconds;
    private final long timeoutNanos;

    public AdmissionFilter(Degradation degradation, PriorityShedding shedding, MeridianConfig config) {
        this.degradation = degradation;
        this.shedding = shedding;
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
        this.timeoutNanos = config.requestTimeout().toNanos() * 9 / 10;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> admit(ContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (!path.startsWith("/v1/") || path.startsWith("/v1/admin/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(PRIORITY_HEADER);
        int priority;
        try {
            priority = header == null || header.isBlank() ? 3 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            priority = 0;
        }
        if (priority < 1 || priority > 4) {
            return Optional.of(problem(
                    400,
                    "invalid-priority",
                    "Invalid request",
                    "Meridian-Priority is 1 (highest) to 4",
                    PRIORITY_HEADER));
        }
        if (isWrite(request.getMethod(), path) && priority != 1 && !degradation.allows(Level.Feature.WRITES)) {
            return Optional.of(problem(
                    503,
                    "read-only",
                    "Service unavailable",
                    "the gateway is in SURVIVAL and takes writes of priority 1 only",
                    null));
        }
        Optional<Limiter.Listener> admitted = shedding.admit(priority);
        if (admitted.isEmpty()) {
            return Optional.of(problem(
                    503,
                    "shed",
                    "Service unavailable",
                    "the gateway is at its concurrency limit; requests of priority " + priority + " are shed first",
                    null));
        }
        Limiter.Listener listener = admitted.get();
        long started = System.nanoTime();
        routing.addEndHandler(done -> {
            int status = routing.response().getStatusCode();
            if (status >= 500 && System.nanoTime() - started >= timeoutNanos) {
                // Timed out here: the limit is too high for what the gateway sustains.
                listener.onDropped();
            } else if (status >= 500) {
                // Failed fast (another region, the origin, Redis away): its time says nothing about capacity.
                listener.onIgnore();
            } else {
                listener.onSuccess();
            }
        });
        return Optional.empty();
    }

    private static boolean isWrite(String method, String path) {
        return (method.equals("PUT") || method.equals("DELETE") || method.equals("POST")) && !path.endsWith(":mget");
    }

    private Response problem(int status, String type, String title, String detail, String field) {
        Response.ResponseBuilder answer = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.TYPE_BASE + type, title, status, detail, field));
        if (status == 503) {
            answer.header("Retry-After", retryAfterSeconds);
        }
        return answer.build();
    }
}

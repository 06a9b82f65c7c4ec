package io.meridian.gateway.api;

import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}; 503 always carries {@code Retry-After}. Unexpected
 * exceptions are logged with their stack trace and answered 500 without one.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final long retryAfterSeconds;

    public ProblemMapper(MeridianConfig config) {
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
    }

    @ServerExceptionMapper
    public Response meridian(GatewayFailure e) {
        return problem(new Problem(
                Problem.TYPE_BASE + e.type(),
                Statuses.title(e.kind()),
                Statuses.of(e.kind()),
                e.getMessage(),
                e.field(),
                e.outcomeUnknown() ? Problem.OUTCOME_UNKNOWN : null));
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return problem(new Problem(
                Problem.TYPE_BASE + "timeout",
                "Service unavailable",
                503,
                "the request did not complete within the request timeout",
                null));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(new Problem(Problem.TYPE_BASE + "no-such-path", "Not found", 404, "no such resource", null));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return problem(
                new Problem(Problem.TYPE_BASE + "method-not-allowed", "Method not allowed", 405, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e) {
        return problem(new Problem(
                Problem.TYPE_BASE + "unsupported-media-type",
                "Unsupported media type",
                415,
                e.getMessage(),
                "Content-Type"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(
                new Problem(Problem.TYPE_BASE + "http-" + status, "Request failed", status, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return problem(new Problem(
                Problem.TYPE_BASE + "internal",
                "Internal error",
                500,
                "unexpected failure; see the gateway log",
                null));
    }

    Response problem(Problem problem) {
        Response.ResponseBuilder response =
                Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 503) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }
}

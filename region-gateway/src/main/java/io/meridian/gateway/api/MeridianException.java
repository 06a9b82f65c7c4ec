package io.meridian.gateway.api;

/**
 * Root of every failure the gateway answers on purpose. Each carries the HTTP status, a stable problem type and, for
 * bad input, the field at fault; {@link ProblemMapper} turns it into {@code application/problem+json}.
 */
public class MeridianException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String field;

    public MeridianException(int status, String type, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
    }

    /** Bad input (4xx) naming the field at fault. */
    public static MeridianException invalid(int status, String type, String field, String detail) {
        return new MeridianException(status, type, "Invalid request", detail, field);
    }

    /** A dependency (Redis, Kafka, another region) cannot answer now; the client may retry after Retry-After. */
    public static MeridianException unavailable(String type, String detail) {
        return new MeridianException(503, type, "Service unavailable", detail, null);
    }

    public static MeridianException notFound(String type, String detail) {
        return new MeridianException(404, type, "Not found", detail, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** @return the offending field, or null when the failure is not about one input */
    public String field() {
        return field;
    }

    /** @return true when the same request may succeed later (503) */
    public boolean retryable() {
        return status == 503;
    }
}

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
    private final boolean outcomeUnknown;

    public MeridianException(int status, String type, String title, String detail, String field) {
        this(status, type, title, detail, field, false);
    }

    private MeridianException(
            int status, String type, String title, String detail, String field, boolean outcomeUnknown) {
        super(detail);
        this.outcomeUnknown = outcomeUnknown;
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

    /**
     * A write answered 503 before it was decided: it may still take effect (its event may be in the log). The problem
     * says {@code "outcome": "unknown"}; the client re-reads with its session token to learn which.
     */
    public static MeridianException outcomeUnknown(String type, String detail) {
        return new MeridianException(503, type, "Service unavailable", detail, null, true);
    }

    /** @return true when the write this failure answers may still take effect */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
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

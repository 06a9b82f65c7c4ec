package io.meridian.gateway.failure;

import java.util.Objects;

/**
 * Root of every failure the gateway answers on purpose, in the domain's terms: a {@link Kind}, a stable problem type
 * (documented in docs/api.md), for bad input the field at fault, and for a write whether its outcome is unknown. The
 * HTTP layer alone turns it into a status and {@code application/problem+json} ({@code api.ProblemMapper}); the code
 * that throws it knows nothing of HTTP.
 */
public class GatewayFailure extends RuntimeException {

    /** What went wrong, as the client must react to it. */
    public enum Kind {
        /** The request is malformed; it will not succeed as it is. */
        INVALID,
        /** The caller may not do this. */
        FORBIDDEN,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request conflicts with the key's state (a lease, an external version, a concurrent write). */
        CONFLICT,
        /** A condition of the request ({@code If-Match}, {@code If-None-Match}) did not hold. */
        PRECONDITION_FAILED,
        /** The body is over its limit. */
        TOO_LARGE,
        /** The body's type cannot be stored. */
        UNSUPPORTED,
        /** A system behind the gateway (the origin) refused the request. */
        UPSTREAM_REJECTED,
        /** A dependency or the key's home cannot answer now; the same request may succeed later. */
        UNAVAILABLE;

        /** @return whether the same request may succeed later */
        public boolean retryable() {
            return this == UNAVAILABLE;
        }
    }

    private final Kind kind;
    private final String type;
    private final String field;
    private final boolean outcomeUnknown;

    /**
     * @param kind what went wrong
     * @param type the stable problem type, e.g. {@code precondition-failed}
     * @param detail what happened, for a person
     * @param field the input at fault, or null
     */
    public GatewayFailure(Kind kind, String type, String detail, String field) {
        this(kind, type, detail, field, false);
    }

    private GatewayFailure(Kind kind, String type, String detail, String field, boolean outcomeUnknown) {
        super(detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.type = Objects.requireNonNull(type, "type");
        this.field = field;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** Bad input naming the field at fault. */
    public static GatewayFailure invalid(Kind kind, String type, String field, String detail) {
        return new GatewayFailure(kind, type, detail, field);
    }

    /** A dependency (Redis, Kafka, another region) cannot answer now; the client may retry later. */
    public static GatewayFailure unavailable(String type, String detail) {
        return new GatewayFailure(Kind.UNAVAILABLE, type, detail, null);
    }

    /**
     * A write answered before it was decided: it may still take effect (its event may be in the log). The client
     * re-reads with its session token to learn which.
     */
    public static GatewayFailure outcomeUnknown(String type, String detail) {
        return new GatewayFailure(Kind.UNAVAILABLE, type, detail, null, true);
    }

    /** What the request names does not exist. */
    public static GatewayFailure notFound(String type, String detail) {
        return new GatewayFailure(Kind.NOT_FOUND, type, detail, null);
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the stable problem type */
    public String type() {
        return type;
    }

    /** @return the offending field, or null when the failure is not about one input */
    public String field() {
        return field;
    }

    /** @return true when the write this failure answers may still take effect */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** @return true when the same request may succeed later */
    public boolean retryable() {
        return kind.retryable();
    }
}

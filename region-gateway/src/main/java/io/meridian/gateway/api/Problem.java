package io.meridian.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document; {@code field} names the input at fault; {@code outcome} is {@code "unknown"} when a
 * write was answered before it was decided (it may or may not take effect: re-read with the session token).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, String detail, String field, String outcome) {

    public Problem(String type, String title, int status, String detail, String field) {
        this(type, title, status, detail, field, null);
    }

    /** The {@code outcome} of a write answered before it was decided. */
    public static final String OUTCOME_UNKNOWN = "unknown";

    /** Media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of every problem type URI, so that types are stable and documented in docs/api.md. */
    public static final String TYPE_BASE = "https://meridian.dev/problems/";
}

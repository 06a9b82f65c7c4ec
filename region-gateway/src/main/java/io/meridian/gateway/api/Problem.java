package io.meridian.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem document; {@code field} names the input at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    /** Media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of every problem type URI, so that types are stable and documented in docs/api.md. */
    public static final String TYPE_BASE = "https://meridian.dev/problems/";
}

package io.meridian.gateway.api;

import io.meridian.gateway.failure.GatewayFailure;

/** The HTTP status and problem title of each kind of {@link GatewayFailure}: the one place that maps them. */
final class Statuses {

    private Statuses() {}

    /** @return the HTTP status answered for a failure of this kind */
    static int of(GatewayFailure.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PRECONDITION_FAILED -> 412;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case UPSTREAM_REJECTED -> 502;
            case UNAVAILABLE -> 503;
        };
    }

    /** @return the problem title of a failure of this kind */
    static String title(GatewayFailure.Kind kind) {
        return switch (kind) {
            case INVALID, TOO_LARGE, UNSUPPORTED -> "Invalid request";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case PRECONDITION_FAILED -> "Precondition failed";
            case UPSTREAM_REJECTED -> "Bad gateway";
            case UNAVAILABLE -> "Service unavailable";
        };
    }
}

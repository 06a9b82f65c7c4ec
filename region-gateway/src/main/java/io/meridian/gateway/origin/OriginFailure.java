package io.meridian.gateway.origin;

/** The origin could not answer: failed, timed out, breaker open, or the lease holder never filled. */
final class OriginFailure extends RuntimeException {
    OriginFailure(String message) {
        super(message, null, false, false);
    }
}

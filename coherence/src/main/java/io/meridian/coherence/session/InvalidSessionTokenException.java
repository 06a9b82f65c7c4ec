package io.meridian.coherence.session;

/** A session token that is malformed, forged (bad signature or unknown key) or expired. Never trusted; not retryable. */
public final class InvalidSessionTokenException extends RuntimeException {

    public InvalidSessionTokenException(String reason) {
        super(reason);
    }
}

package io.meridian.gateway.routing;

import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import java.util.Locale;

/** {@code Meridian-Consistency}: what a read may answer when the key's home region cannot be reached. */
public enum Consistency {
    /** Only a copy at least as new as the session token; otherwise 503. The default. */
    SESSION,
    /** The local copy, marked {@code Meridian-Source: stale}, when nothing newer can be had. */
    EVENTUAL;

    /** The request header. */
    public static final String HEADER = "Meridian-Consistency";

    /** @throws GatewayFailure 400 naming the header for any other value */
    public static Consistency parse(String header) {
        if (header == null || header.isBlank()) {
            return SESSION;
        }
        try {
            return valueOf(header.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(
                    Kind.INVALID, "invalid-consistency", HEADER, "Meridian-Consistency is 'session' or 'eventual'");
        }
    }
}

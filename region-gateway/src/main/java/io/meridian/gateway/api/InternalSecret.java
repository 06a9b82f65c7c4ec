package io.meridian.gateway.api;

import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The shared secret of the inter-region API, checked on every internal call. */
@ApplicationScoped
class InternalSecret {

    private final byte[] secret;

    public InternalSecret(MeridianConfig config) {
        this.secret = config.internalSecret().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison, so the secret cannot be guessed byte by byte from response times. */
    public void check(String presented) {
        byte[] given = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        if (secret.length == 0 || !MessageDigest.isEqual(secret, given)) {
            throw new GatewayFailure(
                    Kind.FORBIDDEN, "forbidden", "the inter-region API needs the shared region secret", null);
        }
    }
}

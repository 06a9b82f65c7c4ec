package io.meridian.gateway.session;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.session.InvalidSessionTokenException;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.session.SessionTokenCodec;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** The {@code Meridian-Session} header: parsed and verified on the way in, signed on the way out. */
@ApplicationScoped
public class SessionTokens {

    private final WallClock wall;

    /** The request and response header. */
    public static final String HEADER = "Meridian-Session";

    static final String DEVELOPMENT_KEY = "meridian-local-development-key";

    private static final Logger LOG = Logger.getLogger(SessionTokens.class);

    private final SessionTokenCodec codec;

    public SessionTokens(MeridianConfig config, WallClock wall) {
        this.wall = wall;
        Map<String, byte[]> keys = new HashMap<>();
        config.session().keys().forEach((id, secret) -> keys.put(id, secret.getBytes(StandardCharsets.UTF_8)));
        if (config.session().keys().containsValue(DEVELOPMENT_KEY)) {
            LOG.warn("session tokens are signed with the built-in development key; set meridian.session.keys.* in"
                    + " production");
        }
        this.codec = new SessionTokenCodec(
                keys, config.session().signingKey(), config.session().lifetime(), wall);
    }

    /**
     * @return the client's token, or {@link SessionToken#EMPTY} when it sent none
     * @throws GatewayFailure 400 naming the header when the token is malformed, forged or expired
     */
    public SessionToken parse(String header) {
        if (header == null || header.isBlank()) {
            return SessionToken.EMPTY;
        }
        try {
            return codec.decode(header.trim());
        } catch (InvalidSessionTokenException e) {
            throw GatewayFailure.invalid(Kind.INVALID, "invalid-session-token", HEADER, e.getMessage());
        }
    }

    public String format(SessionToken token) {
        return codec.encode(token);
    }
}

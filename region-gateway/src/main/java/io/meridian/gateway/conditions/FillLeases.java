package io.meridian.gateway.conditions;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.RedisLease;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fill leases for cache-aside clients, after Meta's memcache ("Scaling Memcache at Facebook", NSDI 2013): a read that
 * misses may hand its client a lease, a signed token naming the key and the version the region held of it then
 * ("base": a tombstone's, an expired value's, or none). The client loads the value from its database and writes it
 * with the lease; the key's home applies that write only if its stored version is still the base, so a slow client
 * cannot put back data older than a write or delete made meanwhile.
 *
 * <p>At most one lease per key is handed out in each region per lease period ({@code SET NX PX} in the region's
 * Redis): a herd of readers missing together makes one database load, the others read again shortly.
 *
 * <p>Token: {@code base64url(namespace NUL key NUL base-hex NUL expires-at-ms NUL key-id)} {@code .}
 * {@code base64url(HMAC-SHA256)}, signed with the session signing key, so a lease is valid in every region.
 */
@ApplicationScoped
public class FillLeases {

    private final WallClock wall;

    /** A verified lease of one key: the version the region held when it was issued (empty: none), and its token. */
    public record Lease(Optional<Version> base, String token) {}

    private static final String RECORD_PREFIX = "meridian:fill-lease:";

    private final Namespaces namespaces;
    private final RedisLease leases;
    private final Map<String, String> keys;
    private final String signingKey;

    public FillLeases(Namespaces namespaces, Redis redis, MeridianConfig config, WallClock wall) {
        this.wall = wall;
        this.namespaces = namespaces;
        this.leases = new RedisLease(redis);
        this.keys = config.session().keys();
        this.signingKey = config.session().signingKey();
    }

    /**
     * Hands out a lease for a miss of {@code key} when the namespace issues leases and none was handed out in this
     * region within the lease period.
     *
     * @param base the version this region holds of the key (a tombstone's or an expired value's), or empty
     */
    public Uni<Optional<String>> issue(String ns, String key, Optional<Version> base) {
        NamespaceConfig config = namespaces.all().get(ns);
        Duration ttl = config == null ? Duration.ZERO : config.fillLeaseTtl();
        if (ttl.isZero()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String holder = Long.toString(ThreadLocalRandom.current().nextLong());
        return Uni.createFrom()
                .completionStage(() -> leases.acquire(RECORD_PREFIX + ns + ":" + key, holder, ttl)
                        .toCompletionStage())
                .map(taken -> !taken
                        ? Optional.<String>empty()
                        : Optional.of(sign(ns, key, base, wall.millis() + ttl.toMillis())))
                // No lease is a valid answer: the client then writes without one.
                .onFailure()
                .recoverWithItem(Optional.empty());
    }

    /**
     * @return the lease the header carries for this key
     * @throws GatewayFailure 400 naming the header when it is malformed, forged, for another key or expired
     */
    public Lease verify(String header, String ns, String key) {
        String[] parts = header.trim().split("\\.");
        if (parts.length != 2) {
            throw invalid("a lease is two base64url parts separated by '.'");
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = Base64.getUrlDecoder().decode(parts[0]);
            mac = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid("a lease is base64url");
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\u0000", -1);
        if (fields.length != 5 || !keys.containsKey(fields[4])) {
            throw invalid("not a lease of this deployment");
        }
        if (!MessageDigest.isEqual(mac, hmac(keys.get(fields[4]), payload))) {
            throw invalid("the lease's signature does not match");
        }
        if (!fields[0].equals(ns) || !fields[1].equals(key)) {
            throw invalid("the lease was issued for another key");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(fields[3]);
        } catch (NumberFormatException e) {
            throw invalid("not a lease of this deployment");
        }
        if (expiresAt < wall.millis()) {
            throw new GatewayFailure(
                    Kind.CONFLICT,
                    "lease-expired",
                    "the lease expired; read the key again",
                    WriteConditions.LEASE_HEADER);
        }
        return new Lease(
                fields[2].isEmpty() ? Optional.empty() : Optional.of(Version.fromHex(fields[2])), header.trim());
    }

    private String sign(String ns, String key, Optional<Version> base, long expiresAt) {
        byte[] payload = String.join(
                        "\u0000", ns, key, base.map(Version::toHex).orElse(""), Long.toString(expiresAt), signingKey)
                .getBytes(StandardCharsets.UTF_8);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(payload) + "." + encoder.encodeToString(hmac(keys.get(signingKey), payload));
    }

    private static byte[] hmac(String secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static GatewayFailure invalid(String detail) {
        return GatewayFailure.invalid(Kind.INVALID, "invalid-lease", WriteConditions.LEASE_HEADER, detail);
    }
}

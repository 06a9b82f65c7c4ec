package io.meridian.coherence.session;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.version.Version;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies {@link SessionToken}s as compact strings: {@code base64url(payload).base64url(mac)}.
 *
 * <pre>
 * payload: format(1) keyIdLength(1) keyId expiresAtSeconds(4, unsigned) count(1) { regionLength(1) region hlc(8) origin(2) }*
 * mac:     HMAC-SHA256(key[keyId], payload), truncated to 128 bits (RFC 2104 section 5; RFC 4868 uses the same length)
 * </pre>
 *
 * The key id names the key that signed, so keys rotate without invalidating live sessions: sign with the new key,
 * keep verifying with the old one until its tokens have expired, then drop it.
 */
public final class SessionTokenCodec {

    private static final byte FORMAT = 1;
    private static final int MAC_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final Map<String, byte[]> keys;
    private final String signingKeyId;
    private final Duration lifetime;
    private final WallClock clock;

    /**
     * Initialised Macs by key id, one set per thread (a Mac is not thread-safe): looking up the provider and
     * deriving the key's inner and outer pads on every token cost more than the HMAC itself.
     */
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(java.util.HashMap::new);

    /**
     * @param keys every key that may have signed a live token, by id
     * @param signingKeyId the key that signs new tokens
     * @param lifetime how long a token stays valid after it was last issued
     */
    public SessionTokenCodec(Map<String, byte[]> keys, String signingKeyId, Duration lifetime, WallClock clock) {
        if (!keys.containsKey(signingKeyId)) {
            throw new IllegalArgumentException("the signing key " + signingKeyId + " is not among the keys");
        }
        keys.forEach((id, secret) -> {
            if (id.isEmpty() || id.length() > 255 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("key id '" + id + "' must be 1-255 printable ASCII characters");
            }
            if (secret.length < 16) {
                throw new IllegalArgumentException("key " + id + ": a secret has at least 16 bytes");
            }
        });
        this.keys = Map.copyOf(keys);
        this.signingKeyId = signingKeyId;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String encode(SessionToken token) {
        byte[] payload = payload(token, (clock.millis() + lifetime.toMillis()) / 1000);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(payload) + "." + base64.encodeToString(mac(signingKeyId, payload));
    }

    /**
     * @throws InvalidSessionTokenException when the token is malformed, signed by an unknown key, forged or expired
     */
    public SessionToken decode(String text) {
        if (text == null || text.length() > 4096) {
            throw new InvalidSessionTokenException("missing or oversized session token");
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            throw new InvalidSessionTokenException("malformed session token");
        }
        byte[] payload = base64(text.substring(0, dot));
        byte[] mac = base64(text.substring(dot + 1));
        try {
            return verified(ByteBuffer.wrap(payload), payload, mac);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidSessionTokenException("malformed session token");
        }
    }

    private SessionToken verified(ByteBuffer in, byte[] payload, byte[] mac) {
        if (in.get() != FORMAT) {
            throw new InvalidSessionTokenException("unknown session token format");
        }
        String keyId = readString(in, StandardCharsets.US_ASCII);
        if (!keys.containsKey(keyId)) {
            throw new InvalidSessionTokenException("session token signed by an unknown key");
        }
        if (!MessageDigest.isEqual(mac(keyId, payload), mac)) {
            throw new InvalidSessionTokenException("session token signature does not match");
        }
        long expiresAtSeconds = Integer.toUnsignedLong(in.getInt());
        if (expiresAtSeconds * 1000 < clock.millis()) {
            throw new InvalidSessionTokenException("session token expired");
        }
        int count = Byte.toUnsignedInt(in.get());
        Map<String, Version> seen = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String region = readString(in, StandardCharsets.UTF_8);
            seen.put(region, new Version(in.getLong(), Short.toUnsignedInt(in.getShort())));
        }
        if (in.hasRemaining()) {
            throw new InvalidSessionTokenException("malformed session token");
        }
        return new SessionToken(seen);
    }

    private byte[] payload(SessionToken token, long expiresAtSeconds) {
        if (token.seen().size() > 255) {
            throw new IllegalArgumentException("a token covers at most 255 regions");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writeString(out, signingKeyId.getBytes(StandardCharsets.US_ASCII));
            out.writeInt((int) expiresAtSeconds);
            out.writeByte(token.seen().size());
            for (Map.Entry<String, Version> entry : new TreeMap<>(token.seen()).entrySet()) {
                writeString(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
                out.writeLong(entry.getValue().hlc());
                out.writeShort(entry.getValue().origin());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private byte[] mac(String keyId, byte[] payload) {
        // doFinal leaves the Mac initialised with its key, ready for the next payload.
        Mac mac = macs.get().computeIfAbsent(keyId, this::newMac);
        return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
    }

    private Mac newMac(String keyId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(keys.get(keyId), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static void writeString(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes.length > 255) {
            throw new IllegalArgumentException("name longer than 255 bytes");
        }
        out.writeByte(bytes.length);
        out.write(bytes);
    }

    private static String readString(ByteBuffer in, java.nio.charset.Charset charset) {
        byte[] bytes = new byte[Byte.toUnsignedInt(in.get())];
        in.get(bytes);
        return new String(bytes, charset);
    }

    /**
     * Decodes base64url and insists on the canonical form: the decoder ignores the unused low bits of the last
     * character, so without this check several strings would carry the same token.
     */
    private static byte[] base64(String text) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
                throw new InvalidSessionTokenException("malformed session token");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new InvalidSessionTokenException("malformed session token");
        }
    }
}

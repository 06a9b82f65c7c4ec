package io.meridian.coherence.redis;

import io.meridian.coherence.version.Version;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What Meridian keeps under a Redis key: a compact header followed by the value's bytes.
 *
 * <pre>
 * byte 0       format: 1 = value, 2 = tombstone, 3 = value with external version, 4 = tombstone with external version
 * bytes 1..10  version (8-byte HLC, 2-byte origin, big-endian)
 * bytes 11..18 expiry of the value, wall milliseconds (0: none recorded, the key's TTL alone decides)
 * [8 bytes     the application's external version (formats 3 and 4 only)]
 * 1 byte       length n of the content type (0..255, US-ASCII)
 * then         content type, then the value's bytes (empty for a tombstone)
 * </pre>
 *
 * The version sits right after the format byte so that the Lua scripts compare versions with one
 * {@code GETRANGE key 1 10} and a byte-string comparison, without parsing the rest.
 *
 * <p>The expiry lives in the value, not only in the key's TTL, so that a value can stay in Redis past its expiry (as
 * a tombstone would) and keep its version: otherwise, once it expired, a late copy of an older version could be
 * stored again and a client would read a value older than one it had seen.
 */
public record StoredValue(
        boolean tombstone,
        Version version,
        long expiresAtMillis,
        String contentType,
        byte[] body,
        long externalVersion) {

    /** {@link #externalVersion()} of a value written without one. */
    public static final long NO_EXTERNAL_VERSION = Long.MIN_VALUE;

    /** Format byte of a live value. */
    public static final byte FORMAT_VALUE = 1;

    /** Format byte of a tombstone. */
    public static final byte FORMAT_TOMBSTONE = 2;

    /** Format byte of a live value that records the application's external version. */
    public static final byte FORMAT_VALUE_EXTERNAL = 3;

    /** Format byte of a tombstone that records the application's external version. */
    public static final byte FORMAT_TOMBSTONE_EXTERNAL = 4;

    /** Bytes before the content type. */
    public static final int FIXED_HEADER = 1 + Version.BYTES + Long.BYTES + 1;

    /** Longest content type that fits in the header. */
    public static final int MAX_CONTENT_TYPE = 255;

    public StoredValue {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(contentType)) {
            throw new IllegalArgumentException("content type must be US-ASCII");
        }
        if (contentType.length() > MAX_CONTENT_TYPE) {
            throw new IllegalArgumentException("content type longer than " + MAX_CONTENT_TYPE + " characters");
        }
        if (tombstone && (body.length != 0 || !contentType.isEmpty() || expiresAtMillis != 0)) {
            throw new IllegalArgumentException("a tombstone carries no value");
        }
        if (expiresAtMillis < 0) {
            throw new IllegalArgumentException("expiresAtMillis must not be negative");
        }
    }

    /** A value or tombstone without an external version. */
    public StoredValue(boolean tombstone, Version version, long expiresAtMillis, String contentType, byte[] body) {
        this(tombstone, version, expiresAtMillis, contentType, body, NO_EXTERNAL_VERSION);
    }

    /** @return whether the application gave an external version with this value or delete */
    public boolean hasExternalVersion() {
        return externalVersion != NO_EXTERNAL_VERSION;
    }

    /** @return this value or tombstone recording the application's {@code externalVersion} */
    public StoredValue withExternalVersion(long externalVersion) {
        return new StoredValue(tombstone, version, expiresAtMillis, contentType, body, externalVersion);
    }

    /** @return this value expiring at {@code expiresAtMillis} instead */
    public StoredValue withExpiry(long expiresAtMillis) {
        return new StoredValue(tombstone, version, expiresAtMillis, contentType, body, externalVersion);
    }

    /** A value whose expiry is the key's TTL alone (no expiry recorded in the value). */
    public static StoredValue value(Version version, String contentType, byte[] body) {
        return new StoredValue(false, version, 0, contentType, body);
    }

    /** A value that expires at {@code expiresAtMillis} (wall time), whatever the key's TTL. */
    public static StoredValue value(Version version, String contentType, byte[] body, long expiresAtMillis) {
        if (expiresAtMillis <= 0) {
            throw new IllegalArgumentException("expiresAtMillis must be positive");
        }
        return new StoredValue(false, version, expiresAtMillis, contentType, body);
    }

    public static StoredValue tombstone(Version version) {
        return new StoredValue(true, version, 0, "", new byte[0]);
    }

    /** @return true when this is a value (not a tombstone) that has not expired at {@code nowMillis} */
    public boolean isLiveAt(long nowMillis) {
        return !tombstone && (expiresAtMillis == 0 || expiresAtMillis > nowMillis);
    }

    public byte[] encode() {
        byte[] type = contentType.getBytes(StandardCharsets.US_ASCII);
        boolean external = hasExternalVersion();
        ByteBuffer out = ByteBuffer.allocate(FIXED_HEADER + (external ? Long.BYTES : 0) + type.length + body.length)
                .put(format(external))
                .put(version.toBytes())
                .putLong(expiresAtMillis);
        if (external) {
            out.putLong(externalVersion);
        }
        return out.put((byte) type.length).put(type).put(body).array();
    }

    private byte format(boolean external) {
        if (tombstone) {
            return external ? FORMAT_TOMBSTONE_EXTERNAL : FORMAT_TOMBSTONE;
        }
        return external ? FORMAT_VALUE_EXTERNAL : FORMAT_VALUE;
    }

    /**
     * Decodes {@link #encode()}.
     *
     * @throws IllegalArgumentException when the bytes are not a stored value (unknown format, truncated)
     */
    public static StoredValue decode(byte[] bytes) {
        if (bytes.length < FIXED_HEADER) {
            throw new IllegalArgumentException("stored value shorter than its header: " + bytes.length + " bytes");
        }
        byte format = bytes[0];
        if (format < FORMAT_VALUE || format > FORMAT_TOMBSTONE_EXTERNAL) {
            throw new IllegalArgumentException("unknown stored value format " + format);
        }
        boolean tombstone = format == FORMAT_TOMBSTONE || format == FORMAT_TOMBSTONE_EXTERNAL;
        boolean external = format == FORMAT_VALUE_EXTERNAL || format == FORMAT_TOMBSTONE_EXTERNAL;
        int header = FIXED_HEADER + (external ? Long.BYTES : 0);
        if (bytes.length < header) {
            throw new IllegalArgumentException("stored value shorter than its header: " + bytes.length + " bytes");
        }
        Version version = Version.fromBytes(bytes, 1);
        ByteBuffer fields = ByteBuffer.wrap(bytes);
        long expiresAt = fields.getLong(1 + Version.BYTES);
        long externalVersion = external ? fields.getLong(1 + Version.BYTES + Long.BYTES) : NO_EXTERNAL_VERSION;
        int typeLength = Byte.toUnsignedInt(bytes[header - 1]);
        if (bytes.length < header + typeLength) {
            throw new IllegalArgumentException("stored value truncated inside its content type");
        }
        String contentType = new String(bytes, header, typeLength, StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(bytes, header + typeLength, bytes.length);
        return new StoredValue(tombstone, version, expiresAt, contentType, body, externalVersion);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredValue that
                && tombstone == that.tombstone
                && version.equals(that.version)
                && expiresAtMillis == that.expiresAtMillis
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body)
                && externalVersion == that.externalVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tombstone, version, expiresAtMillis, contentType, Arrays.hashCode(body), externalVersion);
    }

    @Override
    public String toString() {
        return (tombstone ? "Tombstone[" : "Value[") + version + ", " + contentType + ", " + body.length + " bytes]";
    }
}

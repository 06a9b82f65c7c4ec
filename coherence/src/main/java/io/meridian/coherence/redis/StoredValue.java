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
 * byte 0       format: 1 = value, 2 = tombstone
 * bytes 1..10  version (8-byte HLC, 2-byte origin, big-endian)
 * byte 11      length n of the content type (0..255, US-ASCII)
 * bytes 12..   content type, then the value's bytes (empty for a tombstone)
 * </pre>
 *
 * The version sits right after the format byte so that the Lua scripts compare versions with one
 * {@code GETRANGE key 1 10} and a byte-string comparison, without parsing the rest.
 */
public record StoredValue(boolean tombstone, Version version, String contentType, byte[] body) {

    /** Format byte of a live value. */
    public static final byte FORMAT_VALUE = 1;

    /** Format byte of a tombstone. */
    public static final byte FORMAT_TOMBSTONE = 2;

    /** Bytes before the content type. */
    public static final int FIXED_HEADER = 1 + Version.BYTES + 1;

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
        if (tombstone && (body.length != 0 || !contentType.isEmpty())) {
            throw new IllegalArgumentException("a tombstone carries no value");
        }
    }

    public static StoredValue value(Version version, String contentType, byte[] body) {
        return new StoredValue(false, version, contentType, body);
    }

    public static StoredValue tombstone(Version version) {
        return new StoredValue(true, version, "", new byte[0]);
    }

    public byte[] encode() {
        byte[] type = contentType.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(FIXED_HEADER + type.length + body.length)
                .put(tombstone ? FORMAT_TOMBSTONE : FORMAT_VALUE)
                .put(version.toBytes())
                .put((byte) type.length)
                .put(type)
                .put(body)
                .array();
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
        if (format != FORMAT_VALUE && format != FORMAT_TOMBSTONE) {
            throw new IllegalArgumentException("unknown stored value format " + format);
        }
        Version version = Version.fromBytes(bytes, 1);
        int typeLength = Byte.toUnsignedInt(bytes[1 + Version.BYTES]);
        if (bytes.length < FIXED_HEADER + typeLength) {
            throw new IllegalArgumentException("stored value truncated inside its content type");
        }
        String contentType = new String(bytes, FIXED_HEADER, typeLength, StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(bytes, FIXED_HEADER + typeLength, bytes.length);
        return new StoredValue(format == FORMAT_TOMBSTONE, version, contentType, body);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredValue that
                && tombstone == that.tombstone
                && version.equals(that.version)
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tombstone, version, contentType, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return (tombstone ? "Tombstone[" : "Value[") + version + ", " + contentType + ", " + body.length + " bytes]";
    }
}

package io.meridian.coherence.version;

import io.meridian.coherence.clock.HybridLogicalClock;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The version of a stored value: a hybrid logical clock timestamp and the 16-bit id of the node that wrote it
 * (region index and node, see {@link #originId}). Versions are totally ordered, first by timestamp, then by origin,
 * so two nodes writing in the same tick still order deterministically.
 *
 * <p>Encoded in {@value #BYTES} big-endian bytes; because the timestamp is never negative, the byte-wise order of
 * encodings equals the order of versions, which lets a Lua script compare versions as byte strings.
 */
public record Version(long hlc, int origin) implements Comparable<Version> {

    /** Size of the binary encoding. */
    public static final int BYTES = Long.BYTES + Short.BYTES;

    /** Smaller than every real version. */
    public static final Version ZERO = new Version(0, 0);

    private static final int MAX_ORIGIN = 0xFFFF;

    public Version {
        if (hlc < 0) {
            throw new IllegalArgumentException("hlc must not be negative: " + hlc);
        }
        if (origin < 0 || origin > MAX_ORIGIN) {
            throw new IllegalArgumentException("origin must fit in 16 bits: " + origin);
        }
    }

    /**
     * Origin id of a node: the region's index in the region list in the upper 8 bits and the node number within the
     * region in the lower 8 bits.
     */
    public static int originId(int regionIndex, int node) {
        if (regionIndex < 0 || regionIndex > 0xFF || node < 0 || node > 0xFF) {
            throw new IllegalArgumentException("region index and node must be in 0..255");
        }
        return (regionIndex << 8) | node;
    }

    /** @return the region index encoded in the origin. */
    public int regionIndex() {
        return origin >>> 8;
    }

    /** @return wall milliseconds at which this version was created. */
    public long wallMillis() {
        return HybridLogicalClock.physical(hlc);
    }

    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Version other) {
        int byClock = Long.compare(hlc, other.hlc);
        return byClock != 0 ? byClock : Integer.compare(origin, other.origin);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(hlc).putShort((short) origin).array();
    }

    public static Version fromBytes(byte[] bytes, int offset) {
        if (bytes.length - offset < BYTES) {
            throw new IllegalArgumentException("need " + BYTES + " bytes for a version");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, BYTES);
        long hlc = buffer.getLong();
        int origin = Short.toUnsignedInt(buffer.getShort());
        return new Version(hlc, origin);
    }

    /** The form used in {@code ETag}s and JSON: 20 hex digits, ordered like the versions. */
    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    /**
     * Parses {@link #toHex()}.
     *
     * @throws IllegalArgumentException when the text is not 20 hex digits
     */
    public static Version fromHex(String hex) {
        if (hex == null || hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("a version is " + BYTES * 2 + " hex digits");
        }
        return fromBytes(HexFormat.of().parseHex(hex), 0);
    }

    @Override
    public String toString() {
        return toHex();
    }
}

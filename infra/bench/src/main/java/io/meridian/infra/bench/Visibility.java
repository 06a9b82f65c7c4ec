package io.meridian.infra.bench;

import io.meridian.coherence.version.Version;
import java.util.Arrays;

/**
 * Whether a region's Redis holds a version at least as new as the one a write was acknowledged with. Read with
 * {@code GETRANGE m:<ns>:<key> 1 10}: bytes 1..10 of a stored value are its version (8-byte HLC and 2-byte origin,
 * big-endian, see {@code StoredValue}), and the byte order of encoded versions is their order, so the comparison is
 * of bytes, as the gateways' Lua scripts do it. A tombstone's version counts too: a newer delete also means the
 * acknowledged write can no longer be read as missing-or-older there.
 */
final class Visibility {

    private Visibility() {}

    /** The 10 bytes of the version in a PUT answer's {@code "version"} (20 hex digits). */
    public static byte[] versionBytes(String hex) {
        return Version.fromHex(hex).toBytes();
    }

    /**
     * @param stored what {@code GETRANGE key 1 10} answered: empty when the key is absent, shorter when the value is
     *     not a stored value
     * @param acknowledged the version of the acknowledged write
     */
    public static boolean visible(byte[] stored, byte[] acknowledged) {
        if (stored == null || stored.length < Version.BYTES) {
            return false;
        }
        return Arrays.compareUnsigned(stored, 0, Version.BYTES, acknowledged, 0, Version.BYTES) >= 0;
    }
}

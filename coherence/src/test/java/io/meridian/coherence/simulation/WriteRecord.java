package io.meridian.coherence.simulation;

import io.meridian.coherence.version.Version;
import java.util.OptionalLong;

/**
 * A write or delete as its home executed it: the ground truth that reads and final states are checked against.
 *
 * @param value the value written; null for a delete
 * @param expiresAtMillis when the value expires (the event's {@code expiresAtMillis}); {@link Long#MAX_VALUE} for a
 *     delete
 * @param externalVersion the application's row version the write carried, if any ({@link ConditionalWrites})
 */
record WriteRecord(String key, Version version, String value, long expiresAtMillis, OptionalLong externalVersion) {

    static WriteRecord delete(String key, Version version, OptionalLong externalVersion) {
        return new WriteRecord(key, version, null, Long.MAX_VALUE, externalVersion);
    }

    boolean isDelete() {
        return value == null;
    }

    /** @return true when no region's clock can consider this value expired at true time {@code nowMillis} */
    boolean surelyLiveAt(long nowMillis, long clockMarginMillis) {
        return !isDelete() && expiresAtMillis > nowMillis + clockMarginMillis;
    }

    /** @return true when every region's clock considers this value expired at true time {@code nowMillis} */
    boolean surelyExpiredAt(long nowMillis, long clockMarginMillis) {
        return !isDelete() && expiresAtMillis < nowMillis - clockMarginMillis;
    }

    @Override
    public String toString() {
        String external = externalVersion.isPresent() ? " external " + externalVersion.getAsLong() : "";
        return (isDelete() ? "delete " : "write '" + value + "' ") + version + external;
    }
}

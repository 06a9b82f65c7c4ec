package io.meridian.coherence.redis;

/**
 * A stored value read together with its remaining time to live.
 *
 * @param value the value or tombstone; null when the key is absent. A value past its expiry is still returned (it
 *     keeps its version for a while, see {@link StoredValue}) but is not {@link #isLive() live}.
 * @param remainingTtlMillis remaining time to live of the value in milliseconds (not positive when expired; negative
 *     when absent)
 */
public record StoredEntry(StoredValue value, long remainingTtlMillis) {

    /** An absent key. */
    public static final StoredEntry ABSENT = new StoredEntry(null, -2);

    /** @return true when a value (not a tombstone) is present and has not expired */
    public boolean isLive() {
        return value != null && !value.tombstone() && remainingTtlMillis > 0;
    }
}

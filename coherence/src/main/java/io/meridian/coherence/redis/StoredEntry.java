package io.meridian.coherence.redis;

/**
 * A stored value read together with its remaining time to live.
 *
 * @param value the value or tombstone; null when the key is absent
 * @param remainingTtlMillis remaining TTL in milliseconds as {@code PTTL} reports it (negative when absent or
 *     without expiry)
 */
public record StoredEntry(StoredValue value, long remainingTtlMillis) {

    /** An absent key. */
    public static final StoredEntry ABSENT = new StoredEntry(null, -2);

    /** @return true when a live (non-tombstone) value is present */
    public boolean isLive() {
        return value != null && !value.tombstone();
    }
}

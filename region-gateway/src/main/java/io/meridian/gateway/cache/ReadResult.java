package io.meridian.gateway.cache;

import io.meridian.coherence.redis.StoredValue;

/**
 * A value found by a read, with where it came from and how long it has left.
 *
 * @param source one of {@code l1}, {@code local}, {@code home}, {@code origin}, {@code stale} ({@code Meridian-Source})
 */
public record ReadResult(StoredValue value, String home, String source, long remainingTtlMillis) {}

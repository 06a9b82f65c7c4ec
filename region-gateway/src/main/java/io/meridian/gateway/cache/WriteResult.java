package io.meridian.gateway.cache;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer to a write or delete: the key, its new version (hex, as in {@code ETag}), its home region, for a write when
 * it expires (ISO-8601), and {@code buffered: true} when Kafka could not take the event and the home region keeps it
 * in its event buffer until Kafka returns (absent otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WriteResult(String key, String version, String home, String expiresAt, Boolean buffered) {}

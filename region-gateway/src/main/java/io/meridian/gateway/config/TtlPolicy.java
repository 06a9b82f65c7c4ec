package io.meridian.gateway.config;

import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code ttl} query parameter into the TTL a value is stored with: the namespace default when absent,
 * never above the namespace maximum, shortened by a random jitter so that keys written together expire apart.
 */
public final class TtlPolicy {

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private final DoubleSupplier random;

    /** @param random uniform numbers in [0, 1), injected so tests can fix the jitter */
    public TtlPolicy(DoubleSupplier random) {
        this.random = random;
    }

    /**
     * @param requested the raw {@code ttl} parameter: {@code 90s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code 2d},
     *     a number of seconds, or ISO-8601 ({@code PT90S}); null or empty for the namespace default
     * @return the TTL to store with, jitter applied, at least one millisecond
     * @throws GatewayFailure 400 naming {@code ttl} when malformed, not positive, or over the namespace maximum
     */
    public Duration resolve(String requested, NamespaceConfig namespace) {
        Duration ttl = requested == null || requested.isEmpty() ? namespace.defaultTtl() : parse(requested);
        if (ttl.isNegative() || ttl.isZero()) {
            throw invalid("ttl must be positive, got '" + requested + "'");
        }
        if (ttl.compareTo(namespace.maxTtl()) > 0) {
            throw invalid("ttl " + requested + " exceeds the namespace maximum of " + namespace.maxTtl());
        }
        return jitter(ttl, namespace.ttlJitter());
    }

    static Duration parse(String text) {
        Matcher shortForm = SHORT_FORM.matcher(text);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            String unit = shortForm.group(2) == null ? "s" : shortForm.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("ttl '" + text + "' is not a duration; use e.g. 90s, 500ms, 5m, 1h, 2d or PT90S");
        }
    }

    private Duration jitter(Duration ttl, double fraction) {
        long millis = ttl.toMillis();
        long cut = (long) (millis * Math.min(Math.max(fraction, 0), 1) * random.getAsDouble());
        return Duration.ofMillis(Math.max(1, millis - cut));
    }

    private static GatewayFailure invalid(String detail) {
        return GatewayFailure.invalid(Kind.INVALID, "invalid-ttl", "ttl", detail);
    }
}

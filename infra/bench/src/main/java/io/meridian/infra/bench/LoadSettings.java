package io.meridian.infra.bench;

import java.time.Duration;

/**
 * What one run of the HTTP load generator does. Every phase is bounded in time, every request in time, and the key
 * set is fixed, so a run always ends by itself and its figures can be compared between runs.
 *
 * @param warmup time spent loading the key set and then mixing PUT and GET before anything is measured; the JVMs need
 *     about 20 s of load before their JIT has settled (TOOLCHAIN.md)
 * @param phase length of each measured phase (PUT, then GET)
 * @param concurrency requests in flight at any time, one per connection (a closed loop, as {@code wrk -c} does)
 * @param keys distinct keys written and read
 * @param valueBytes size of each stored value
 * @param namespace the gateway namespace written to
 * @param ttl the TTL sent with every PUT; longer than the run so that GETs hit
 */
public record LoadSettings(
        Duration warmup, Duration phase, int concurrency, int keys, int valueBytes, String namespace, Duration ttl) {

    public LoadSettings {
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("concurrency must be 1..1000, got " + concurrency);
        }
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be positive, got " + keys);
        }
        if (valueBytes < 1 || valueBytes > 1 << 20) {
            throw new IllegalArgumentException("value size must be 1 B..1 MiB, got " + valueBytes);
        }
        if (warmup.isNegative() || phase.isZero() || phase.isNegative()) {
            throw new IllegalArgumentException("warm-up must be >= 0 and phase > 0");
        }
    }
}

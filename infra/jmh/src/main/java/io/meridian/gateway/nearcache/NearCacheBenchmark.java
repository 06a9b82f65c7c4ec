package io.meridian.gateway.nearcache;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A read answered by the near cache ({@link NearCache#get} on a hit): the lookup, the entry's expiry check, the hit
 * counter and the answer. The cache holds 10,000 keys of 1 KiB (the default {@code max-entries}) and the benchmark
 * cycles through them, so that lookups do not all land in one cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheBenchmark {

    private static final int KEYS = 10_000;

    private ServingNearCache cache;
    private String[] keys;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        cache = ServingNearCache.start(KEYS);
        keys = new String[KEYS];
        StoredValue value = StoredValue.value(new Version(1L << 40, 1), "application/json", new byte[1024]);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "t" + i;
            cache.put(keys[i], value);
        }
        if (cache.size() != KEYS || cache.get(keys[0]).isEmpty()) {
            throw new IllegalStateException(
                    "the near cache does not hold the benchmark's keys: it would measure misses");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        cache.close();
    }

    @Benchmark
    public Optional<StoredEntry> getHit() {
        String key = keys[next];
        next = next + 1 == KEYS ? 0 : next + 1;
        return cache.get(key);
    }
}

package io.meridian.infra.jmh;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding what a Redis read returns into a {@link StoredValue}: the header (format, version, expiry, content type)
 * and a copy of the value. Every read from Redis pays it once; the value is 1 KiB of JSON-sized payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoredValueBenchmark {

    private static final int VALUE_BYTES = 1024;

    private final byte[] stored = StoredValue.value(
                    new Version(1_752_000_000_000L << 16, 0x0101),
                    "application/json",
                    filled(VALUE_BYTES),
                    1_752_000_060_000L)
            .encode();

    @Benchmark
    public StoredValue decode() {
        return StoredValue.decode(stored);
    }

    private static byte[] filled(int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) 'x');
        return body;
    }
}

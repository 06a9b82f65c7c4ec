package io.meridian.infra.jmh;

import io.meridian.coherence.version.Version;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Version}'s two encodings: the hex form every {@code ETag} and JSON answer carries, and the 10 bytes stored in
 * front of every value (and compared by the Lua scripts). Each request formats or parses at least one of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VersionCodecBenchmark {

    private final Version version = new Version(1_752_000_000_000L << 16 | 42, 0x0103);
    private final String hex = version.toHex();
    private final byte[] bytes = version.toBytes();

    @Benchmark
    public String toHex() {
        return version.toHex();
    }

    @Benchmark
    public Version fromHex() {
        return Version.fromHex(hex);
    }

    @Benchmark
    public byte[] toBytes() {
        return version.toBytes();
    }

    @Benchmark
    public Version fromBytes() {
        return Version.fromBytes(bytes, 0);
    }
}

package io.meridian.infra.jmh;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.session.SessionTokenCodec;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Signing and verifying the {@code Meridian-Session} token (HMAC-SHA256 over the payload, base64url both ways): a
 * client that sends its token pays a verify on every request, and every write answers with a freshly signed one. The
 * token covers three regions, as a client of the three-region deployment carries after writing to each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionTokenBenchmark {

    private final SessionTokenCodec codec = new SessionTokenCodec(
            Map.of("k1", "a-signing-key-of-32-bytes-length".getBytes(StandardCharsets.UTF_8)),
            "k1",
            Duration.ofHours(1),
            WallClock.system());
    private final SessionToken token = new SessionToken(Map.of(
            "us-east", new Version(1_752_000_000_000L << 16, 0x0001),
            "eu-west", new Version(1_752_000_000_100L << 16, 0x0101),
            "ap-south", new Version(1_752_000_000_200L << 16, 0x0201)));
    private final String signed = codec.encode(token);

    @Benchmark
    public String sign() {
        return codec.encode(token);
    }

    @Benchmark
    public SessionToken verify() {
        return codec.decode(signed);
    }
}

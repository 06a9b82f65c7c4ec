package io.meridian.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.version.Version;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventBufferTest {

    @Test
    void idOf_roundTripsThroughVersionOf() {
        Version version = new Version(HybridLogicalClock.pack(1_764_000_000_123L, 65_535), 0xFFFF);

        assertThat(EventBuffer.idOf(version)).isEqualTo("1764000000123-" + (65_535L << 16 | 0xFFFF));
        assertThat(EventBuffer.versionOf(EventBuffer.idOf(version))).isEqualTo(version);
    }

    @Test
    void streamIdOrder_isVersionOrder() {
        Random random = new Random(42);
        List<Version> versions = IntStream.range(0, 2_000)
                .mapToObj(i -> new Version(
                        HybridLogicalClock.pack(1_764_000_000_000L + random.nextInt(3), random.nextInt(4)),
                        random.nextInt(4) << 8 | random.nextInt(3)))
                .toList();

        List<Version> byId = versions.stream()
                .sorted(Comparator.comparing(EventBuffer::idOf, EventBufferTest::compareStreamIds))
                .toList();

        assertThat(byId).isSortedAccordingTo(Comparator.naturalOrder());
    }

    /** Redis orders stream ids by milliseconds, then sequence, both unsigned 64-bit numbers. */
    private static int compareStreamIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int byMillis = Long.compareUnsigned(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byMillis != 0 ? byMillis : Long.compareUnsigned(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }
}

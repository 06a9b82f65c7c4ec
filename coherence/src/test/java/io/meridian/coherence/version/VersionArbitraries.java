package io.meridian.coherence.version;

import io.meridian.coherence.clock.HybridLogicalClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Versions for property tests. Uniformly random 64-bit clocks almost never share a prefix, so half of the values come
 * from a small pool around byte boundaries (0x7F/0x80, 0xFF/0x100, ...) where a signed or locale-dependent comparison
 * would go wrong, and where two versions often differ only in a late byte.
 */
public final class VersionArbitraries {

    private static final long[] BOUNDARY_CLOCKS = {
        0L,
        1L,
        0x7FL,
        0x80L,
        0xFFL,
        0x100L,
        0x7FFFL,
        0x8000L,
        0x00FF_FFFF_FFFF_FFFFL,
        0x0100_0000_0000_0000L,
        0x0000_FFFF_FFFF_0000L,
        0x0001_0000_0000_0000L,
        0x7FFF_FFFF_FFFF_FFFEL,
        0x7FFF_FFFF_FFFF_FFFFL,
        0x0000_0180_0000_0080L,
        0x0000_0180_0000_007FL,
        HybridLogicalClock.pack(1_767_225_600_000L, 0), // 2026-01-01
        HybridLogicalClock.pack(1_767_225_600_000L, 0xFFFF),
        HybridLogicalClock.pack(1_767_225_600_001L, 0),
    };

    private static final int[] BOUNDARY_ORIGINS = {0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF};

    private VersionArbitraries() {}

    /** Any valid version, biased towards byte boundaries and shared prefixes. */
    public static Arbitrary<Version> versions() {
        return Combinators.combine(clocks(), origins()).as(Version::new);
    }

    public static Arbitrary<Long> clocks() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(boxed(BOUNDARY_CLOCKS))),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(0, 1L << 16)));
    }

    public static Arbitrary<Integer> origins() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(boxed(BOUNDARY_ORIGINS))),
                Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static Integer[] boxed(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}

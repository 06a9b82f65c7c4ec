package io.meridian.infra.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sizing claim: a 1 GiB heap (this module's test JVM) holds a 100,000-entry near cache of 1 KiB values. */
class NearCacheMemoryTest {

    private static final long GIB = 1L << 30;

    @Test
    void aOneGibHeap_holdsEveryOneOfAHundredThousandEntriesOfOneKib() {
        NearCacheFootprint footprint = NearCacheMemory.measure();

        assertThat(footprint.heapMaxBytes()).isLessThanOrEqualTo(GIB);
        assertThat(footprint.present()).isEqualTo(NearCacheMemory.ENTRIES);
        assertThat(footprint.heapUsedBytes()).isLessThan(GIB);
        assertThat(footprint.bytesPerEntry()).isGreaterThan(NearCacheMemory.VALUE_BYTES);
    }
}

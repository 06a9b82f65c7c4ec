package io.meridian.infra.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MicroResultTest {

    @Test
    void label_dropsThePackageAndTheBenchmarkSuffix() {
        assertThat(MicroResult.label("io.meridian.gateway.nearcache.NearCacheBenchmark.getHit"))
                .isEqualTo("NearCache.getHit");
    }

    @Test
    void footprint_travelsAsOneLine() {
        NearCacheFootprint footprint = new NearCacheFootprint(100_000, 1024, 99_999, 20L << 20, 220L << 20, 1L << 30);

        assertThat(NearCacheFootprint.parse(footprint.line())).isEqualTo(footprint);
    }
}

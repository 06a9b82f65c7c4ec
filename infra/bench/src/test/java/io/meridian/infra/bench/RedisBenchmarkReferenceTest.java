package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisBenchmarkReferenceTest {

    @Test
    void parse_quietOutputWithProgressLines_readsEachCommand() {
        String output = "SET: rps=0.0 (overall: nan) avg_msec=nan (overall: nan)\r"
                + "SET: 52356.02 requests per second, p50=0.479 msec                    \n"
                + "GET: rps=51234.0 (overall: 51000.0)\r"
                + "GET: 55555.56 requests per second, p50=0.439 msec                    \n";

        Map<String, RedisBenchmarkReference.Figure> figures = RedisBenchmarkReference.parse(output);

        assertThat(figures).containsOnlyKeys("SET", "GET");
        assertThat(figures.get("SET").throughput()).isEqualTo(52356.02);
        assertThat(figures.get("GET").p50Millis()).isEqualTo(0.439);
    }

    @Test
    void parse_olderFormatWithoutP50_keepsThroughput() {
        Map<String, RedisBenchmarkReference.Figure> figures =
                RedisBenchmarkReference.parse("GET: 40000.00 requests per second\n");

        assertThat(figures.get("GET").throughput()).isEqualTo(40000.0);
        assertThat(figures.get("GET").p50Millis()).isNaN();
    }
}

package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReplicatorMetricsTest {

    private static final String EXPOSITION = "# HELP meridian_replicator_events_total\n"
            + "# TYPE meridian_replicator_events_total counter\n"
            + "meridian_replicator_events_total{outcome=\"applied\",source=\"us-east\"} 7317.0\n"
            + "meridian_replicator_events_total{outcome=\"superseded\",source=\"us-east\"} 3.0\n"
            + "meridian_replicator_events_total{outcome=\"heartbeat\",source=\"us-east\"} 500.0\n"
            + "meridian_replicator_events_total{outcome=\"applied\",source=\"eu-west\"} 42.0\n"
            + "meridian_replication_lag_seconds{source=\"us-east\"} 0.153\n";

    @Test
    void applied_sumsStoredAndSupersededEventsOfTheSource_notHeartbeats() {
        assertThat(ReplicatorMetrics.applied(EXPOSITION, "us-east")).hasValue(7320);
        assertThat(ReplicatorMetrics.applied(EXPOSITION, "eu-west")).hasValue(42);
    }

    @Test
    void applied_ofASourceNeverSeen_isEmpty() {
        assertThat(ReplicatorMetrics.applied(EXPOSITION, "ap-south")).isEmpty();
    }

    @Test
    void rate_needsBothReadings() {
        assertThat(ReplicatorMetrics.rate(OptionalLong.of(100), OptionalLong.of(2100), 20))
                .isEqualTo(OptionalDouble.of(100));
        assertThat(ReplicatorMetrics.rate(OptionalLong.empty(), OptionalLong.of(2100), 20))
                .isEmpty();
    }
}

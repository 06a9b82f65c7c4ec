package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.MachineDescription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleBenchmarkTest {

    private static final String STAT = "4242 (vert.x-eventloop-thread-1) S 1 4242 4242 0 -1 4194368 2113 0 0 0 150 35"
            + " 0 0 20 0 41 0 1000 8000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void aThreadsStat_givesItsGroupAndItsTicks() {
        assertThat(ThreadCpu.group(STAT)).isEqualTo("vert.x-eventloop-thread");
        assertThat(ThreadCpu.ticks(STAT)).isEqualTo(185);
        assertThat(ThreadCpu.group("7 (C2 CompilerThre) S 1")).isEqualTo("C2 CompilerThre");
    }

    @Test
    void coresPerGroup_areTheGrowthOverTheWindow_idleGroupsLeftOut() {
        Map<String, Double> cores =
                ThreadCpu.cores(Map.of("a", 1.0, "b", 2.0), Map.of("a", 1.5, "b", 2.0, "c", 0.1), 10);

        assertThat(cores).containsOnlyKeys("a", "c");
        assertThat(cores.get("a")).isEqualTo(0.05);
    }

    @Test
    void aBusyReplicator_orABusyCluster_missTheirTargets() {
        IdleBenchmark.Run quiet = run(0.02, 0.05);
        IdleBenchmark.Run busyReplicator = run(0.04, 0.05);
        IdleBenchmark.Run busyCluster = run(0.02, 0.2);

        assertThat(quiet.checks()).allMatch(line -> line.endsWith("holds"));
        assertThat(busyReplicator.checks().get(1)).endsWith("missed");
        assertThat(busyReplicator.checks().get(0)).endsWith("holds");
        assertThat(busyCluster.checks().get(0)).endsWith("missed");
        assertThat(busyCluster.markdownSection(new MachineDescription(2, "Linux", "17", "2026-12-03"), "idle"))
                .contains("| us-east replicator | 0.020 | 100 | C2 CompilerThre 0.010 |")
                .contains("- cluster at rest ≤ 0.15 cores: 0.220, missed");
    }

    private static IdleBenchmark.Run run(double replicator, double kafka) {
        return new IdleBenchmark.Run(
                List.of("us-east"),
                "started for this run",
                Duration.ofSeconds(180),
                Duration.ofSeconds(30),
                List.of(
                        new IdleBenchmark.Process(
                                "us-east replicator", replicator, 102_400, Map.of("C2 CompilerThre", 0.01)),
                        new IdleBenchmark.Process("kafka", kafka, 204_800, Map.of())));
    }
}

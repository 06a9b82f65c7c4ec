package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reading of wrk's output and the targets of {@code bench peers}, on figures that hold and figures that miss. */
class PeersRunTest {

    private static final PeersBenchmark.Settings SETTINGS = new PeersBenchmark.Settings(
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 50, 2000, List.of(100), "a", "b");

    @Test
    void wrksResultLine_isRead() {
        Wrk.Result result = Wrk.parse("Running 10s test\nWRK-RESULT 280000 10000000 3 1 1200 4100 9000\nmore\n");

        assertThat(result.perSecond()).isEqualTo(28_000);
        assertThat(result.errors()).isEqualTo(4);
        assertThat(result.p99Micros()).isEqualTo(4_100);
        assertThat(result.p999Micros()).isEqualTo(9_000);
    }

    @Test
    void theScript_picksAmongEveryPathAndSendsTheBody() {
        String script = Wrk.script("PUT", List.of("/a?ttl=1s", "/b\"q"), 5);

        assertThat(script)
                .contains("\"/a?ttl=1s\", \"/b\\\"q\"", "local method = \"PUT\"", "\"" + BenchValues.text(5) + "\"");
    }

    @Test
    void aGatewayAsFastAsTheTargets_holdsThemAll() {
        PeersRun run = run(30_000, 4_000, 60_000, 2_000, 25.0, 12.0, 100.0, 130.0, 40.0);

        assertThat(run.checks(run.sizes().get(0))).allMatch(PeersRun.Check::holds);
    }

    @Test
    void aSlowGateway_missesTheTargets_andSaysWhich() {
        PeersRun run = run(14_000, 11_600, 27_000, 581, 57.0, 30.0, 570.0, 1_200.0, 330.0);

        assertThat(run.checks(run.sizes().get(0)))
                .filteredOn(check -> !check.holds())
                .extracting(PeersRun.Check::what)
                .contains(
                        "GET random keys, gateway / Webdis (req/s)",
                        "GET random keys, p99 gateway / Webdis",
                        "GET one hot key, gateway (near cache) / Webdis",
                        "PUT homed here, gateway / Webdis SET",
                        "forwarded PUT, forwarding gateway's CPU / a local PUT's",
                        "CPU µs, gateway GET through Redis",
                        "CPU µs, near-cache GET",
                        "CPU µs, home PUT, gateway only",
                        "CPU µs per applied event, us-east replicator");
    }

    @Test
    void theRecordedSection_hasThePhaseTableAndTheTargetTable() {
        PeersRun run = run(14_000, 11_600, 27_000, 581, 57.0, 30.0, 570.0, 1_200.0, 330.0);

        String md = run.markdownSection(
                new io.meridian.infra.cluster.MachineDescription(2, "Linux", "17", "2026-12-03 10:00 UTC"),
                "./meridian bench peers --record");

        assertThat(md)
                .contains("## bench peers, 2026-12-03 10:00 UTC", "### 100 B values")
                .contains("| gateway | GET, random keys, through Redis | 14000 | ")
                .contains("| target | measured | bound | holds |")
                .contains("| GET random keys, gateway / Webdis (req/s) | 0.50 | ≥ 1.0 | **no** |")
                .contains("Idle for the window before any load: 0.090 cores in all")
                .contains("| us-east gateway | 0.050 | 195 | 390 |")
                .doesNotContain("| launcher |");
        assertThat(run.consoleLines(new io.meridian.infra.cluster.MachineDescription(2, "Linux", "17", "now"), "bench"))
                .anyMatch(line -> line.contains("GET random keys, gateway / Webdis") && line.endsWith("MISSED"));
    }

    /** Webdis at 28k GET/s (p99 4.2 ms), 35k hot GET/s, 5k SET/s; the gateway's figures as given. */
    private static PeersRun run(
            double getPerSecond,
            long getP99Micros,
            double hotPerSecond,
            double putPerSecond,
            double getCpuMicros,
            double hotCpuMicros,
            double putCpuMicros,
            double forwardedCpuMicros,
            double replicatorCpuMicros) {
        List<PeersRun.Phase> phases = List.of(
                phase("GET, random keys, through Redis", "gateway", getPerSecond, getP99Micros, getCpuMicros, 0),
                phase("GET, one hot key (near cache)", "gateway", hotPerSecond, 1_000, hotCpuMicros, 0),
                phase("GET, random keys", "webdis", 28_000, 4_200, 0, 0),
                phase("GET, one hot key", "webdis", 35_000, 3_000, 0, 0),
                phase("PUT, keys homed here", "gateway", putPerSecond, 20_000, putCpuMicros, replicatorCpuMicros),
                phase("PUT, forwarded to eu-west", "gateway", putPerSecond, 30_000, forwardedCpuMicros, 0),
                phase("SET, random keys", "webdis", 5_000, 8_000, 0, 0));
        return new PeersRun(
                SETTINGS,
                "us-east",
                "eu-west",
                "test",
                new PeersRun.Idle(
                        Map.of("us-east gateway", 0.05, "us-east replicator", 0.04, "launcher", 0.5),
                        Map.of("us-east gateway", 200_000L),
                        Map.of("us-east gateway", 400_000L)),
                List.of(new PeersRun.SizeRun(100, phases, Optional.empty())));
    }

    private static PeersRun.Phase phase(
            String path, String peer, double perSecond, long p99, double gatewayMicros, double replicatorMicros) {
        long requests = (long) (perSecond * 10);
        Wrk.Result result = new Wrk.Result(requests, 10, 0, 0, p99 / 4, p99, p99 * 2);
        return new PeersRun.Phase(
                path,
                peer,
                result,
                Map.of(
                        "us-east gateway", gatewayMicros * requests / 1000,
                        "us-east replicator", replicatorMicros * requests / 1000));
    }
}

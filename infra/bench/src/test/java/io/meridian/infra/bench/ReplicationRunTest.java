package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.MachineDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationRunTest {

    private static final MachineDescription MACHINE =
            new MachineDescription(2, "Linux 6 amd64", "openjdk version \"17.0.15\"", "2026-11-23 20:00 UTC");
    private static final String COMMAND = "./meridian bench replication --record";

    @TempDir
    Path dir;

    @Test
    void verdict_fastAndSustainedAtTheTargetRate_isMet() {
        ReplicationRun run = run(5000, 5000, 0, 2_000, 8_995, 0, idleCpu());

        ReplicationRun.Verdict verdict = run.verdict();

        assertThat(verdict.met()).isTrue();
        assertThat(verdict.limits()).isEmpty();
        assertThat(verdict.line())
                .startsWith("target met: ack→visible p50 2.00 ms ≤ 5, p99 9.00 ms ≤ 25")
                .contains("5,000 writes/s acknowledged of 5,000/s offered");
    }

    @Test
    void verdict_rateNotSustained_saysWhatTheGatewayAcknowledged_andThatTheCpuWasSaturated() {
        ReplicationRun run = run(5000, 2400, 26_000, 29_990, 59_990, 3, busyCpu());

        ReplicationRun.Verdict verdict = run.verdict();

        assertThat(verdict.met()).isFalse();
        assertThat(verdict.line())
                .startsWith("target not met: ack→visible p50 30.00 ms > 5, p99 60.00 ms > 25")
                .endsWith("(rate not sustained)");
        assertThat(verdict.limits())
                .anySatisfy(limit -> assertThat(limit)
                        .startsWith(
                                "write rate: the us-east gateway acknowledged 2,400 writes/s of the 5,000/s offered")
                        .contains("26,000 of 100,000 due writes skipped at the in-flight cap of 512"))
                .anySatisfy(limit -> assertThat(limit)
                        .startsWith("replication: ack→visible p50 30.00 ms")
                        .contains("eu-west replicator")
                        .contains("3 of 1,003 samples not visible within 5 s"))
                .anySatisfy(limit -> assertThat(limit)
                        .startsWith("CPU: the machine was 99% busy; 6 JVMs")
                        .contains("2 Redis servers share 2 cores")
                        .endsWith("idle, before any write, the cluster already kept 0.60 cores busy"))
                .anySatisfy(
                        limit -> assertThat(limit).startsWith("other processes, not part of the cluster, used 0.48"));
    }

    @Test
    void verdict_replicatorBehindTheWrites_saysSo() {
        ReplicationRun run = run(300, 300, 0, 2_000, 59_990, 0, idleCpu(), 120, Map.of());

        assertThat(run.verdict().limits())
                .anySatisfy(limit -> assertThat(limit)
                        .startsWith("the eu-west replicator applied 120 events/s from us-east while the us-east gateway"
                                + " acknowledged 300 writes/s: it fell behind"));
        assertThat(run.consoleLines(MACHINE, COMMAND))
                .contains("applied  120 events/s from us-east by the eu-west replicator during the window");
        assertThat(run.markdownSection(MACHINE, COMMAND))
                .contains("| events from us-east applied by eu-west's replicator | 120 | - | - | - | - | - |");
    }

    @Test
    void verdict_moreEventsAppliedThanAcknowledged_saysFailedWritesStillReachedTheLog() {
        ReplicationRun run = run(5000, 57, 79_000, 29_990, 59_990, 0, busyCpu(), 145, Map.of("503", 18_772L));

        assertThat(run.verdict().limits())
                .anySatisfy(limit -> assertThat(limit)
                        .isEqualTo("the eu-west replicator applied 145 events/s from us-east, more than the 57"
                                + " writes/s acknowledged: writes answered with an error (18,772) still reached the"
                                + " log, so the replicators carry load the clients were told failed"));
    }

    @Test
    void verdict_belowTheTargetRate_isNotATargetRun_evenWhenFast() {
        ReplicationRun run = run(2000, 2000, 0, 2_000, 8_995, 0, idleCpu());

        ReplicationRun.Verdict verdict = run.verdict();

        assertThat(verdict.met()).isFalse();
        assertThat(verdict.line())
                .startsWith("not a target run: offered 2,000 writes/s, below the 5,000/s of the target")
                .endsWith("latency within the target");
    }

    @Test
    void record_appendsASectionWithCommandMachineTableAndVerdict_underTheExistingHeader() throws Exception {
        Path file = dir.resolve("docs/benchmarks.md");
        BenchmarkLog.append(file, "\n## bench http, earlier\n");

        BenchmarkLog.append(
                file, run(5000, 2400, 26_000, 29_990, 59_990, 3, busyCpu()).markdownSection(MACHINE, COMMAND));

        String md = Files.readString(file);
        assertThat(md.split("# Benchmarks", -1)).hasSize(2);
        assertThat(md.indexOf("## bench http, earlier")).isLessThan(md.indexOf("## bench replication, 2026-11-23"));
        assertThat(md)
                .contains("- Command: `./meridian bench replication --record`")
                .contains("- Machine: 2 cores, Linux 6 amd64, openjdk version \"17.0.15\"")
                .contains("5,000 writes/s offered open-loop (in-flight cap 512)")
                .contains("every 10th write followed in eu-west's Redis")
                .contains("timeout 5 s); cluster started for this run")
                .contains("- CPU before the load (idle cluster, 3 s): 0.90 of 2 cores busy (45%)")
                .contains("- CPU during the measured window: 1.98 of 2 cores busy (99%)")
                .contains("| PUT in us-east, send → `200` | 2400 of 5000 offered | 1.00 | 1.00 | 1.00 | 48000 acked"
                        + " | 26000 skipped, 0 failed |")
                .contains("| visible in eu-west's Redis, `200` → version seen | - | 30.00 | 60.00 | 60.00 | 1003"
                        + " samples | 3 timeouts |")
                .contains(
                        "Slowest samples (ack → visible, and when acknowledged, seconds into the window): 60.0 ms at 3.2 s,"
                                + " 60.0 ms at 13.2 s.")
                .contains("**Verdict** (target: p50 ≤ 5 ms, p99 ≤ 25 ms at 5,000 writes/s): target not met")
                .contains("\nLimited by:\n\n- write rate:");
    }

    @Test
    void consoleLines_endWithVerdictLimitsAndTheCommand() {
        ReplicationRun run = run(5000, 2400, 26_000, 29_990, 59_990, 3, busyCpu());

        assertThat(run.consoleLines(MACHINE, "./meridian bench replication"))
                .anyMatch(line -> line.startsWith("writes   offered 5,000/s, acked 2,400/s"))
                .anyMatch(line -> line.startsWith("visible  p50 30.00 ms  p99 60.00 ms"))
                .anyMatch(line -> line.startsWith("cpu: 1.98 of 2 cores busy"))
                .anyMatch(line -> line.startsWith("verdict: target not met"))
                .anyMatch(line -> line.startsWith("limited by: write rate"))
                .last()
                .isEqualTo("command: ./meridian bench replication");
    }

    @Test
    void everyNth_readsAsEnglish() {
        assertThat(ReplicationRun.everyNth(1)).isEqualTo("every write");
        assertThat(ReplicationRun.everyNth(2)).isEqualTo("every 2nd write");
        assertThat(ReplicationRun.everyNth(10)).isEqualTo("every 10th write");
        assertThat(ReplicationRun.everyNth(11)).isEqualTo("every 11th write");
        assertThat(ReplicationRun.everyNth(21)).isEqualTo("every 21st write");
    }

    private static CpuReport idleCpu() {
        return CpuReport.of(2, 1.2, Map.of("us-east gateway", 0.6, "this bench", 0.3));
    }

    private static CpuReport busyCpu() {
        return CpuReport.of(2, 1.98, Map.of("us-east gateway", 1.0, "this bench", 0.5));
    }

    /**
     * A 20 s run offering {@code rate}/s of which {@code achieved}/s were acknowledged, every 10th write sampled with
     * visibility latencies of about {@code p50Micros} (half) and {@code p99Micros} (the rest). HdrHistogram reports
     * the highest value equivalent to a recorded one (3 digits), so the values are chosen to print round: 8,995 µs as
     * 9.00 ms, 29,990 as 30.00, 59,990 as 60.00.
     */
    private static ReplicationRun run(
            int rate, int achieved, long skipped, long p50Micros, long p99Micros, long timeouts, CpuReport cpu) {
        return run(rate, achieved, skipped, p50Micros, p99Micros, timeouts, cpu, achieved, Map.of());
    }

    private static ReplicationRun run(
            int rate,
            int achieved,
            long skipped,
            long p50Micros,
            long p99Micros,
            long timeouts,
            CpuReport cpu,
            double appliedPerSecond,
            Map<String, Long> failures) {
        ReplicationSettings settings = new ReplicationSettings(
                rate,
                Duration.ofSeconds(15),
                Duration.ofSeconds(20),
                10,
                512,
                100,
                "tweets",
                Duration.ofMinutes(5),
                Duration.ofSeconds(5));
        long scheduled = rate * 20L;
        long acked = achieved * 20L;
        Histogram ack = new Histogram(3);
        ack.recordValueWithCount(1_000, acked);
        Histogram visible = new Histogram(3);
        visible.recordValueWithCount(p50Micros, 600);
        visible.recordValueWithCount(p99Micros, 400);
        for (long i = 0; i < timeouts; i++) {
            visible.recordValue(p99Micros);
        }
        Histogram lag = new Histogram(3);
        lag.recordValueWithCount(200, scheduled - skipped);
        ReplicationFigures figures = new ReplicationFigures(
                Duration.ofSeconds(20),
                scheduled,
                scheduled - skipped,
                skipped,
                acked,
                failures,
                ack,
                lag,
                visible,
                1000 + timeouts,
                timeouts,
                Map.of(),
                50_000,
                List.of(
                        new ReplicationFigures.SlowSample(59.99, 3.21),
                        new ReplicationFigures.SlowSample(59.99, 13.2)));
        return new ReplicationRun(
                settings,
                "started for this run",
                "us-east",
                "http://127.0.0.1:1",
                "eu-west",
                "127.0.0.1:2",
                figures,
                Optional.of(cpu),
                Optional.of(CpuReport.of(2, 0.9, Map.of("us-east gateway", 0.3, "kafka", 0.3))),
                OptionalDouble.of(appliedPerSecond),
                6,
                2);
    }
}

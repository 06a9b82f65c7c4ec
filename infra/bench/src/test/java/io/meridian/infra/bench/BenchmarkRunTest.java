package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.MachineDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkRunTest {

    private static final MachineDescription MACHINE =
            new MachineDescription(2, "Linux 6 amd64", "openjdk version \"17.0.15\"", "2026-11-23 20:00 UTC");

    @TempDir
    Path dir;

    @Test
    void record_twice_keepsOneHeaderAndBothSectionsWithCommandAndMachine() throws Exception {
        BenchmarkRun run = run(Optional.of(new RedisBenchmarkReference.Figures(
                Map.of("GET", new RedisBenchmarkReference.Figure(40_000, 0.5)), "-t get,set -c 50 -n 200000 -q")));
        Path file = dir.resolve("docs/benchmarks.md");

        BenchmarkLog.append(file, run.markdownSection(MACHINE, "./meridian bench http --record"));
        BenchmarkLog.append(file, run.markdownSection(MACHINE, "./meridian bench http --record"));

        String md = Files.readString(file);
        assertThat(md).startsWith("# Benchmarks");
        assertThat(md.split("# Benchmarks", -1)).hasSize(2);
        assertThat(md.split("## bench http", -1)).hasSize(3);
        assertThat(md)
                .contains("- Command: `./meridian bench http --record`")
                .contains("2 cores")
                .contains("| gateway GET | 10000 | 2.00 |")
                .contains("| redis-benchmark GET (same Redis) | 40000 |")
                .contains("GET 0.25");
    }

    @Test
    void consoleLines_withoutRedisBenchmark_sayWhy() {
        assertThat(run(Optional.empty()).consoleLines(MACHINE, "./meridian bench http"))
                .anyMatch(line -> line.startsWith("GET "))
                .anyMatch(line -> line.contains("redis-benchmark: not installed"))
                .last()
                .isEqualTo("command: ./meridian bench http");
    }

    private static BenchmarkRun run(Optional<RedisBenchmarkReference.Figures> reference) {
        LoadSettings settings = new LoadSettings(
                Duration.ofSeconds(20), Duration.ofSeconds(10), 50, 10_000, 100, "tweets", Duration.ofMinutes(5));
        return new BenchmarkRun(
                "us-east", "http://127.0.0.1:1", settings, phase("PUT", 50_000), phase("GET", 100_000), reference);
    }

    private static PhaseResult phase(String name, long requests) {
        Histogram latency = new Histogram(3);
        for (int i = 0; i < 100; i++) {
            latency.recordValue(2000);
        }
        return new PhaseResult(name, requests, Map.of(), Duration.ofSeconds(10), latency);
    }
}

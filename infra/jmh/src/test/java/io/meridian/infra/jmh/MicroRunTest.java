package io.meridian.infra.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.bench.BenchmarkLog;
import io.meridian.infra.cluster.MachineDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicroRunTest {

    private static final MachineDescription MACHINE =
            new MachineDescription(2, "Linux 6.1 amd64", "openjdk version \"17.0.15\"", "2026-01-02 03:04 UTC");

    private static final NearCacheFootprint FOOTPRINT =
            new NearCacheFootprint(100_000, 1024, 100_000, 20L << 20, 220L << 20, 1L << 30);

    private final MicroRun run = new MicroRun(
            "1 fork, 3 × 1 s warm-up",
            List.of(
                    new MicroResult("VersionCodec.toHex", 41.26, 0.84, 72.0004),
                    new MicroResult("NearCache.getHit", 1234.5, Double.NaN, 0.01)),
            FOOTPRINT);

    @Test
    void table_hasOneRowPerBenchmark_withTimeErrorAndAllocations() {
        assertThat(run.table())
                .isEqualTo("| Benchmark | ns/op | ± error | B/op (allocated) |\n"
                        + "|---|---:|---:|---:|\n"
                        + "| VersionCodec.toHex | 41.3 | 0.8 | 72 |\n"
                        + "| NearCache.getHit | 1234.5 | n/a | 0 |\n");
    }

    @Test
    void recordedSection_namesCommandMachineSetup_thenTheTableAndTheMemoryCheck(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docs/benchmarks.md");

        BenchmarkLog.append(file, run.markdownSection(MACHINE, "./meridian bench micro --record"));

        String text = Files.readString(file);
        assertThat(text)
                .startsWith("# Benchmarks\n")
                .contains("\n## bench micro, 2026-01-02 03:04 UTC\n\n"
                        + "- Command: `./meridian bench micro --record`\n"
                        + "- Machine: 2 cores, Linux 6.1 amd64, openjdk version \"17.0.15\"\n"
                        + "- Setup: 1 fork, 3 × 1 s warm-up\n\n"
                        + "| Benchmark | ns/op | ± error | B/op (allocated) |\n")
                .contains("| NearCache.getHit | 1234.5 | n/a | 0 |\n\nNear cache: 100,000 entries of 1,024-byte values"
                        + " in a 1024 MiB heap: 100,000 still held, 220.0 MiB of heap used after GC (20.0 MiB with the"
                        + " cache empty), 2,097 bytes per entry.\n");
    }
}

package io.meridian.infra.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlameGraphsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void parse_defaultsToCpuOnAllThreads_titledAfterTheRecording() {
        FlameGraphs.Options options = FlameGraphs.Options.parse("/tmp/get.jfr", "/tmp/get.svg");

        assertThat(options.event()).isEqualTo(ProfileEvent.CPU);
        assertThat(options.threads().pattern()).isEqualTo(".*");
        assertThat(options.title()).isEqualTo("CPU samples: get.jfr");
        assertThat(options.collapsed()).isEqualTo(Path.of("/tmp/get.collapsed"));
    }

    @Test
    void parse_readsEveryOption() {
        FlameGraphs.Options options = FlameGraphs.Options.parse(
                "in.jfr",
                "out",
                "--title",
                "PUT",
                "--threads",
                "vert.x-eventloop.*",
                "--event",
                "alloc",
                "--min-width",
                "2.5",
                "--max-depth",
                "40");

        assertThat(options.title()).isEqualTo("PUT");
        assertThat(options.threads().pattern()).isEqualTo("vert.x-eventloop.*");
        assertThat(options.event()).isEqualTo(ProfileEvent.ALLOC);
        assertThat(options.minWidth()).isEqualTo(2.5);
        assertThat(options.maxDepth()).isEqualTo(40);
        assertThat(options.collapsed()).isEqualTo(Path.of("out.collapsed"));
    }

    @Test
    void parse_rejectsWhatTheUsageDoesNotAllow() {
        assertThatIllegalArgumentException().isThrownBy(() -> FlameGraphs.Options.parse("in.jfr"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--event", "wall"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--threads", "("));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--min-width"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--min-width", "-1"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--max-depth", "0"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FlameGraphs.Options.parse("in.jfr", "out.svg", "--colour", "blue"));
    }

    @Test
    void run_writesTheGraphAndTheCollapsedStacks_andPrintsTheSummary() throws Exception {
        Path svg = dir.resolve("burner.svg");

        int status = run(BurnerRecording.file().toString(), svg.toString(), "--threads", BurnerRecording.BURNER);

        assertThat(status).isZero();
        assertThat(SvgFrames.parse(Files.readString(svg)).has(BurnerRecording.BURN_PRIMES))
                .isTrue();
        assertThat(Files.readString(dir.resolve("burner.collapsed"))).contains(BurnerRecording.BURN_PRIMES + " ");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Top 15 frames by self samples")
                .contains("| `" + BurnerRecording.BURN_PRIMES + "` |");
    }

    @Test
    void run_withoutMatchingSamples_failsAndSaysWhy() {
        int status =
                run(BurnerRecording.file().toString(), dir.resolve("none.svg").toString(), "--threads", "nobody");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no jdk.ExecutionSample events");
        assertThat(dir.resolve("none.svg")).doesNotExist();
    }

    @Test
    void run_withBadArguments_printsTheUsage() {
        int status = run("only-one.jfr");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(FlameGraphs.USAGE);
    }

    private int run(String... args) {
        return FlameGraphs.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }
}

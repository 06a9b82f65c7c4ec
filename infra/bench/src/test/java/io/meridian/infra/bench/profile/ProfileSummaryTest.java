package io.meridian.infra.bench.profile;

import static io.meridian.infra.bench.profile.FlameGraphTest.stacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.bench.profile.ProfileSummary.FrameWeight;
import org.junit.jupiter.api.Test;

class ProfileSummaryTest {

    private static final CollapsedStacks STACKS =
            stacks("main;get;decode 30", "main;get 10", "main;put;decode 20", "main;put;encode 40");

    @Test
    void topBySelf_ranksFramesByTheWeightOfStacksTheyEnd() {
        ProfileSummary summary = ProfileSummary.of(STACKS);

        assertThat(summary.topBySelf(3))
                .containsExactly(
                        new FrameWeight("decode", 50, 50),
                        new FrameWeight("encode", 40, 40),
                        new FrameWeight("get", 10, 40));
    }

    @Test
    void topByInclusive_ranksFramesByTheWeightOfStacksThroughThem() {
        ProfileSummary summary = ProfileSummary.of(STACKS);

        assertThat(summary.topByInclusive(3))
                .containsExactly(
                        new FrameWeight("main", 0, 100),
                        new FrameWeight("put", 0, 60),
                        new FrameWeight("decode", 50, 50));
    }

    @Test
    void inclusive_countsARecursiveStackOnce() {
        ProfileSummary summary = ProfileSummary.of(stacks("main;walk;walk;walk 4", "main;other 4"));

        assertThat(summary.topByInclusive(3)).contains(new FrameWeight("walk", 4, 4));
    }

    @Test
    void markdown_tabulatesBothRankingsWithShares() {
        String markdown = ProfileSummary.of(STACKS).markdown(2);

        assertThat(markdown)
                .startsWith("100 samples in all.\n")
                .contains("Top 2 frames by self samples:\n\n| Frame | Self | Self % | Inclusive | Inclusive % |\n"
                        + "|---|---:|---:|---:|---:|\n"
                        + "| `decode` | 50 | 50.0% | 50 | 50.0% |\n"
                        + "| `encode` | 40 | 40.0% | 40 | 40.0% |\n")
                .contains("Top 2 frames by inclusive samples:")
                .contains("| `main` | 0 | 0.0% | 100 | 100.0% |\n| `put` | 0 | 0.0% | 60 | 60.0% |\n");
    }
}

package io.meridian.infra.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillRecordTest {

    @TempDir
    Path dir;

    @Test
    void append_twiceToARunbookWithoutTable_addsTheTableOnceAtTheSectionsEndAndBothRowsInOrder() throws Exception {
        Path runbook = dir.resolve("docs/runbook.md");
        Files.createDirectories(runbook.getParent());
        Files.writeString(
                runbook,
                "# Runbook\n\n## Drill record\n\nEarlier runs:\n\n```\nDRILL partition PASS seed=1\n```\n\n"
                        + "## After\n\nMore text.\n");

        DrillRecord.append(runbook, row(1, true));
        DrillRecord.append(runbook, row(2, false));

        String md = Files.readString(runbook);
        assertThat(md.split(java.util.regex.Pattern.quote(DrillRecord.TABLE_HEADER), -1))
                .hasSize(2);
        assertThat(md)
                .contains("```\nDRILL partition PASS seed=1\n```\n\nRuns recorded with")
                .contains(DrillRecord.TABLE_HEADER + "\n| --- |")
                .contains("| 2026-12-03 09:00 UTC | `./meridian drill partition --seed 1 --record` | `abc1234` | 2"
                        + " cores, Linux 6 amd64, openjdk 17 | 1 | 30 | 2157 | 640 | 3 | 0 | 0 | 1.2 | 0.5 | 0.3 |"
                        + " PASS |\n| 2026-12-03 09:00 UTC | `./meridian drill partition --seed 2 --record` |")
                .endsWith("| FAIL |\n\n## After\n\nMore text.\n");
    }

    @Test
    void withRow_noSection_addsSectionAndTableAtTheEnd() {
        List<String> lines = DrillRecord.withRow(List.of("# Runbook", "", "Text."), row(7, true));

        assertThat(lines).containsSequence("Text.", "", DrillRecord.SECTION, "");
        assertThat(lines.get(lines.size() - 1))
                .startsWith("| 2026-12-03 09:00 UTC |")
                .endsWith("| PASS |");
        assertThat(lines).contains(DrillRecord.TABLE_HEADER);
    }

    @Test
    void append_missingFile_createsItWithTheSection() throws Exception {
        Path runbook = dir.resolve("docs/runbook.md");

        DrillRecord.append(runbook, row(3, true));

        assertThat(Files.readString(runbook))
                .startsWith("# Runbook\n\n## Drill record\n")
                .contains(DrillRecord.TABLE_HEADER)
                .endsWith("| PASS |\n");
    }

    @Test
    void commit_outsideAGitCheckout_isUnknown() {
        assertThat(DrillRecord.commit(dir)).isEqualTo("unknown");
    }

    @Test
    void verdictLine_namesEveryFigureOfTheRun() {
        assertThat(verdict(5, false).line())
                .isEqualTo("DRILL partition FAIL seed=5 requests=2157 acked_writes=640 violations=2 detect_s=1.2"
                        + " recover_s=0.5 converge_s=0.3 lost_writes=0 indeterminate_writes=3");
    }

    private static DrillRecord.Row row(long seed, boolean passed) {
        return new DrillRecord.Row(
                "2026-12-03 09:00 UTC",
                "./meridian drill partition --seed " + seed + " --record",
                "abc1234",
                "2 cores, Linux 6 amd64, openjdk 17",
                30,
                verdict(seed, passed));
    }

    private static DrillRecord.Verdict verdict(long seed, boolean passed) {
        return new DrillRecord.Verdict("partition", seed, passed, 2157, 640, passed ? 0 : 2, "1.2", "0.5", "0.3", 0, 3);
    }
}

package io.meridian.infra.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillReportTest {

    @TempDir
    Path dir;

    @Test
    void write_failedRun_listsTheViolationsAndKeepsTheWholeHistory() throws Exception {
        DrillHistory.Op put = new DrillHistory.Op(
                100,
                120,
                0,
                "us-east",
                DrillHistory.Kind.PUT,
                "k1",
                "c0-s0",
                null,
                200,
                DrillHistory.Outcome.OK,
                "01a20a31e7c600000200",
                "us-east",
                null,
                "token a");
        DrillHistory.Op finalRead = new DrillHistory.Op(
                9_000,
                9_004,
                DrillHistory.FINAL_READER,
                "eu-west",
                DrillHistory.Kind.FINAL_READ,
                "k1",
                null,
                null,
                404,
                DrillHistory.Outcome.OK,
                null,
                null,
                null,
                null);
        List<String> violations = HistoryChecker.check(List.of(put, finalRead)).stream()
                .map(HistoryChecker.Violation::toString)
                .toList();

        DrillReport.write(
                dir,
                new DrillReport.Run(
                        "partition",
                        3,
                        "cut",
                        false,
                        List.<String[]>of(new String[] {"requests", "1"}),
                        violations,
                        List.of(put, finalRead),
                        1_000,
                        2_000,
                        3_000));

        assertThat(Files.readString(dir.resolve("report.md")))
                .contains("# Drill partition: FAIL")
                .contains("- 0.1 s: lost write: acknowledged client 0 PUT k1 in us-east of c0-s0");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<li>0.1 s: lost write:");
        assertThat(Files.readAllLines(dir.resolve("history.tsv")))
                .hasSize(3)
                .element(1)
                .isEqualTo(
                        "100\t120\t0\tus-east\tPUT\tk1\tc0-s0\t-\t200\tOK\t01a20a31e7c600000200\tus-east\t-\ttoken a");
    }
}

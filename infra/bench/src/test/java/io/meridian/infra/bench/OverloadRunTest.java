package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.MachineDescription;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverloadRunTest {

    private static final OverloadRun.Peak PEAK = new OverloadRun.Peak(50, 1000, 40, 0);
    private static final OverloadRun.Phase UNLOADED = new OverloadRun.Phase(250, 5000, 250, 3, 10, 0, 0, Map.of());

    @Test
    void aGatewayThatKeepsItsRate_andRefusesCleanly_holdsEveryTarget() {
        OverloadRun run = run(overload(900, 25), 0, 0);

        assertThat(run.checks()).allMatch(OverloadRun.Check::holds);
        assertThat(run.logChecksHold()).isTrue();
        assertThat(run.goodput()).isEqualTo(0.9);
    }

    @Test
    void aRefusedWriteInTheLog_breaksTheLogCheck() {
        OverloadRun run = run(overload(900, 25), 1, 0);

        assertThat(run.logChecksHold()).isFalse();
        assertThat(run.checks().get(2).holds()).isFalse();
        assertThat(run.checks().get(2).measured()).startsWith("1 of 4000 refused");
    }

    @Test
    void anAcknowledgedWriteMissingFromTheLog_breaksTheLogCheck() {
        OverloadRun run = run(overload(900, 25), 0, 3);

        assertThat(run.logChecksHold()).isFalse();
        assertThat(run.checks().get(3).holds()).isFalse();
    }

    @Test
    void aCollapsedRate_orAGrownP99_missTheirTargets() {
        OverloadRun collapsed = run(overload(700, 25), 0, 0);
        OverloadRun slow = run(overload(900, 31), 0, 0);

        assertThat(collapsed.checks().get(0).holds()).isFalse();
        assertThat(collapsed.checks().get(1).holds()).isTrue();
        assertThat(slow.checks().get(0).holds()).isTrue();
        assertThat(slow.checks().get(1).holds()).isFalse();
    }

    @Test
    void theRecordedSection_hasEveryPhaseAndEveryTarget() {
        String md = run(overload(700, 25), 0, 0)
                .markdownSection(new MachineDescription(2, "Linux", "17", "2026-12-03"), "./meridian bench overload");

        assertThat(md)
                .startsWith("\n## bench overload, 2026-12-03")
                .contains("| open loop, 5× the sustainable rate | 5000 | 700 | 5.00 | 25.00 | 4000 | 0 | none |")
                .contains("| acknowledged writes/s under overload ≥ 0.8× the sustainable rate | 700/s of 1000/s ="
                        + " 0.70× | **no** |")
                .contains(
                        "| no write refused for load (503 overloaded, shed) reaches the log | 0 of 4000 refused writes in the log"
                                + " | yes |");
    }

    private static OverloadRun.Phase overload(double acknowledged, double p99) {
        return new OverloadRun.Phase(5000, 100_000, acknowledged, 5, p99, 4000, 0, Map.of());
    }

    private static OverloadRun run(OverloadRun.Phase overload, long refusedInLog, long missing) {
        return new OverloadRun("us-east", "setup", 5, PEAK, UNLOADED, overload, refusedInLog, missing, "NORMAL");
    }
}

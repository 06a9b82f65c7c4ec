package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuReportTest {

    @Test
    void parseStat_countsIdleAndIowaitAsNotBusy_andIgnoresGuestTime() {
        long[] stat = CpuReport.parseStat("cpu  100 10 50 800 40 5 5 0 30 0");

        assertThat(stat).containsExactly(170, 1010);
    }

    @Test
    void busyCores_isTheBusyShareOfTheJiffiesTimesTheCores() {
        double busy = CpuReport.busyCores(new long[] {100, 1000}, new long[] {850, 2000}, 2);

        assertThat(busy).isCloseTo(1.5, offset(1e-9));
    }

    @Test
    void summary_listsProcessesBusiestFirst_andWhatOthersUsed() {
        Map<String, Double> used = new LinkedHashMap<>();
        used.put("kafka", 0.4);
        used.put("this bench", 0.2);
        used.put("us-east gateway", 0.8);

        CpuReport report = CpuReport.of(2, 1.9, used);

        assertThat(report.summary())
                .isEqualTo("1.90 of 2 cores busy (95%): us-east gateway 0.80, kafka 0.40, this bench 0.20,"
                        + " other processes 0.50");
        assertThat(report.busyFraction()).isCloseTo(0.95, offset(1e-9));
    }

    @Test
    void summary_withoutProcStat_listsProcessesOnly() {
        CpuReport report = CpuReport.of(2, Double.NaN, Map.of("kafka", 0.4));

        assertThat(report.summary()).isEqualTo("by process (cores): kafka 0.40");
    }
}

package io.meridian.coherence.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-made histories, each breaking one property of {@link HistoryChecker} (and one breaking none). */
class HistoryCheckerTest {

    private static final long START = Simulation.START_MILLIS;
    private static final long TTL = 600_000;

    private final Scheduler time = new Scheduler(START);
    private final List<Region> regions = new ArrayList<>();
    private final HistoryChecker checker = new HistoryChecker(time, 0, 1_000);
    private long ids;

    HistoryCheckerTest() {
        for (String name : List.of("a", "b", "c")) {
            SkewedClock clock = new SkewedClock(time, 0, new Random(1));
            regions.add(new Region(name, regions.size(), clock, new ReplicaStore(clock, 5_000, 5_000, (k, v) -> {})));
        }
    }

    @Test
    void checkAll_writesInOrderEverywhere_findsNothing() {
        HistoryChecker.Attempt first = put(0, 1, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt second = conditionalPut(first.version, 5, 2, regions.get(0), 1);
        storeEverywhere(first);
        storeEverywhere(second);

        checker.checkAll(regions);

        assertThat(checker.violations()).isEmpty();
    }

    @Test
    void checkAll_twoRegionsAcknowledgeInOneEpoch_reportsSplitHome() {
        HistoryChecker.Attempt first = put(0, 1, regions.get(0), 3, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt second = put(5, 2, regions.get(1), 3, HistoryChecker.Outcome.ACKNOWLEDGED);
        storeEverywhere(first);
        storeEverywhere(second);

        checker.checkAll(regions);

        assertThat(kinds()).containsExactly(Violation.Kind.SPLIT_HOME);
    }

    @Test
    void checkAll_laterWriteTakesOlderVersion_reportsVersionOrderAndLostWrite() {
        HistoryChecker.Attempt first = put(0, 200, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt second = put(50, 100, regions.get(1), 2, HistoryChecker.Outcome.ACKNOWLEDGED);
        storeEverywhere(second);
        storeEverywhere(first);

        checker.checkAll(regions);

        assertThat(kinds()).containsExactly(Violation.Kind.VERSION_ORDER, Violation.Kind.LOST_WRITE);
    }

    @Test
    void checkAll_indeterminateWriteSupersedesLaterAcknowledgedOne_reportsLostWriteNamingIt() {
        HistoryChecker.Attempt indeterminate = put(0, 300, regions.get(0), 1, HistoryChecker.Outcome.INDETERMINATE);
        HistoryChecker.Attempt acknowledged = put(20, 100, regions.get(1), 2, HistoryChecker.Outcome.ACKNOWLEDGED);
        storeEverywhere(acknowledged);
        storeEverywhere(indeterminate);

        checker.checkAll(regions);

        assertThat(checker.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.kind()).isEqualTo(Violation.Kind.LOST_WRITE);
            assertThat(violation.detail()).contains("the indeterminate write");
        });
    }

    @Test
    void checkAll_conditionalPutNamesAnOverwrittenVersion_reportsConditionalWrite() {
        HistoryChecker.Attempt first = put(0, 1, regions.get(0), 1, HistoryChecker.Outcome.INDETERMINATE);
        HistoryChecker.Attempt second = put(5, 2, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt conditional = conditionalPut(first.version, 10, 3, regions.get(0), 1);
        List.of(first, second, conditional).forEach(this::storeEverywhere);

        checker.checkAll(regions);

        assertThat(kinds()).containsExactly(Violation.Kind.CONDITIONAL_WRITE);
    }

    @Test
    void checkAll_olderValueBackAfterAcknowledgedDelete_reportsResurrection() {
        HistoryChecker.Attempt value = put(0, 1, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt delete = write(HistoryChecker.Op.DELETE, null, 5, 2, regions.get(0), 1);
        regions.forEach(region -> region.store.setIfNewer("k", StoredValue.tombstone(delete.version), 5_000));
        regions.get(2).store.flushAll();
        store(regions.get(2), value);

        checker.checkAll(regions);

        assertThat(kinds()).containsExactly(Violation.Kind.RESURRECTION);
    }

    @Test
    void checkAll_regionMissesNewestAcknowledgedWrite_reportsLostWriteUnlessOlderThanItsReplay() {
        HistoryChecker.Attempt value = put(0, 1, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        store(regions.get(0), value);
        store(regions.get(1), value);

        checker.checkAll(regions);
        assertThat(kinds()).containsExactly(Violation.Kind.LOST_WRITE);

        HistoryChecker afterLoss = new HistoryChecker(time, 0, 1_000);
        afterLoss.invoked(value);
        afterLoss.appended(value);
        afterLoss.dataLost(regions.get(2), value.version.wallMillis() + 1_001);
        afterLoss.checkAll(regions);
        assertThat(afterLoss.violations())
                .as("a write older than the replay point may be missing")
                .isEmpty();
    }

    @Test
    void checkAll_olderValueWithoutNewerDelete_reportsConvergence() {
        HistoryChecker.Attempt older = put(0, 1, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        HistoryChecker.Attempt newer = put(5, 2, regions.get(0), 1, HistoryChecker.Outcome.ACKNOWLEDGED);
        storeEverywhere(newer);
        regions.get(1).store.flushAll();
        store(regions.get(1), older);

        checker.checkAll(regions);

        assertThat(kinds()).containsExactly(Violation.Kind.CONVERGENCE);
    }

    // ---- helpers ----

    private HistoryChecker.Attempt put(long at, long hlc, Region executor, int epoch, HistoryChecker.Outcome outcome) {
        HistoryChecker.Attempt attempt = write(HistoryChecker.Op.PUT, null, at, hlc, executor, epoch);
        attempt.outcome = outcome;
        return attempt;
    }

    private HistoryChecker.Attempt conditionalPut(Version expected, long at, long hlc, Region executor, int epoch) {
        return write(HistoryChecker.Op.CONDITIONAL_PUT, expected, at, hlc, executor, epoch);
    }

    /** Sent, begun and appended at {@code at} ms, acknowledged 1 ms later, with version ({@code hlc}, executor). */
    private HistoryChecker.Attempt write(
            HistoryChecker.Op op, Version expected, long at, long hlc, Region executor, int epoch) {
        time.runUntil(START + at);
        long id = ++ids;
        HistoryChecker.Attempt attempt = new HistoryChecker.Attempt(id, "k", op, "v" + id, expected, TTL, time.now());
        checker.invoked(attempt);
        Version version = new Version((START << 16) + hlc, Version.originId(executor.index, 0));
        checker.began(attempt, executor, epoch, version, op == HistoryChecker.Op.DELETE ? Long.MAX_VALUE : START + TTL);
        checker.appended(attempt);
        time.runUntil(START + at + 1);
        checker.answered(attempt, HistoryChecker.Outcome.ACKNOWLEDGED);
        return attempt;
    }

    private void storeEverywhere(HistoryChecker.Attempt attempt) {
        regions.forEach(region -> store(region, attempt));
    }

    private static void store(Region region, HistoryChecker.Attempt attempt) {
        region.store.setIfNewer(
                "k",
                StoredValue.value(attempt.version, "text/plain", attempt.value.getBytes(StandardCharsets.UTF_8)),
                TTL);
    }

    private List<Violation.Kind> kinds() {
        return checker.violations().stream().map(Violation::kind).toList();
    }
}

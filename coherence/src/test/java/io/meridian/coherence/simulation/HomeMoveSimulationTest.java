package io.meridian.coherence.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Homes that move (planned handover and failback, outage with failover and return), Redis data loss with replay, and
 * per-key locks whose writes outlive their clients' timeouts ({@link HomeMoveSimulation}): one home per epoch,
 * versions in real-time order, no lost acknowledged write, linearizable conditional writes, convergence and no
 * resurrection ({@link HistoryChecker}). Each rule switched off ({@link HomeMoveProfile}) must be caught.
 *
 * <p>Every failure names its seed. Replay one alone, printing the history of the first broken key:
 *
 * <pre>
 * ./mvnw -pl coherence test -Dtest='HomeMoveSimulationTest#replay*' -Dmeridian.simulation.seed=N \
 *     [-Dmeridian.simulation.profile=no-fencing]
 * </pre>
 *
 * More seeds: {@code -Dmeridian.simulation.seeds=5000} (and {@code -Dmeridian.simulation.first-seed=S}); {@code
 * -Pfull} runs 20,000 from a random start.
 */
class HomeMoveSimulationTest {

    /** A run takes a few milliseconds (thousands of writes, no reads of copies): more seeds than the first model. */
    private static final int DEFAULT_SEEDS = 2_000;

    @Test
    @DisabledIfSystemProperty(named = "meridian.simulation.seed", matches = ".+")
    void defaultProtocol_manySeeds_everyPropertyHolds() {
        long first = Long.getLong("meridian.simulation.first-seed", 1);
        int seeds = Integer.getInteger("meridian.simulation.seeds", DEFAULT_SEEDS);
        assertEverySeedPasses(HomeMoveProfile.DEFAULT, first, seeds);
    }

    @Test
    @EnabledIfSystemProperty(named = "meridian.simulation.seed", matches = ".+")
    void replay_seedAndProfileFromSystemProperties_everyPropertyHolds() {
        long seed = Long.getLong("meridian.simulation.seed");
        HomeMoveProfile profile = HomeMoveProfile.named(System.getProperty("meridian.simulation.profile", "default"));
        HomeMoveResult result = HomeMoveSimulation.run(seed, profile.config(), true);
        System.out.println("replayed " + profile + " " + result.report(50));

        assertThat(result.passed()).as("%s %s", profile, result.report(50)).isTrue();
    }

    @Test
    @Tag("full")
    @EnabledIfSystemProperty(named = "meridian.simulation.full", matches = "true")
    void defaultProtocol_randomSeeds_everyPropertyHolds() {
        long first = Long.getLong("meridian.simulation.first-seed", System.nanoTime() & 0xFFFF_FFFFL);
        int seeds = Integer.getInteger("meridian.simulation.seeds", 20_000);
        System.out.printf("full home-move simulation: seeds %d..%d%n", first, first + seeds - 1);
        assertEverySeedPasses(HomeMoveProfile.DEFAULT, first, seeds);
    }

    @Test
    void defaultProtocol_sameSeed_replaysExactly() {
        HomeMoveResult once = HomeMoveSimulation.run(42, HomeMoveConfig.defaults(), false);
        HomeMoveResult again = HomeMoveSimulation.run(42, HomeMoveConfig.defaults(), true);

        assertThat(again.stats()).isEqualTo(once.stats());
        assertThat(again.violations()).isEqualTo(once.violations());
    }

    @Test
    void defaultProtocol_aRun_exercisesEveryFault() {
        HomeMoveResult.Stats stats =
                HomeMoveSimulation.run(7, HomeMoveConfig.defaults(), false).stats();

        assertThat(stats.acknowledged()).isGreaterThan(300);
        assertThat(stats.indeterminate()).as("writes whose client timed out").isPositive();
        assertThat(stats.refused()).as("conditional writes refused (412)").isPositive();
        assertThat(stats.handovers() + stats.failovers()).isPositive();
        assertThat(stats.dataLosses()).isPositive();
    }

    /** Clocks up to 500 ms apart: the fence and the observed stored version keep every property. */
    @Test
    void wideSkew_someSeeds_everyPropertyHolds() {
        assertEverySeedPasses(HomeMoveProfile.WIDE_SKEW, 1, 60);
    }

    // ---- each rule switched off is caught ----

    /**
     * A returning home that takes its keys back by itself, at the epoch after the one it knew before it went down,
     * shares that epoch with the interim home, which goes on writing until its probes see the home back.
     */
    @Test
    void noFencing_returningHomeTakesKeysBack_twoHomesAcknowledgeInOneEpoch() {
        assertCaught(HomeMoveProfile.NO_FENCING, 50, Violation.Kind.SPLIT_HOME, "acknowledged in epoch");
    }

    /** A home that writes before applying the former home's log takes versions below writes acknowledged before. */
    @Test
    void noFencing_homeWritesBeforeApplyingFormerHomesLog_breaksVersionOrder() {
        assertCaught(HomeMoveProfile.NO_FENCING, 50, Violation.Kind.VERSION_ORDER, "with a newer version");
    }

    /** ... and so an acknowledged write of the new home is superseded by an older-begun one of the former home. */
    @Test
    void noFencing_homeWritesBeforeApplyingFormerHomesLog_losesAcknowledgedWrite() {
        assertCaught(HomeMoveProfile.NO_FENCING, 50, Violation.Kind.LOST_WRITE, "which began before it");
    }

    /** A conditional put decided on the returning home's stale copy names a version that was overwritten. */
    @Test
    void noFencing_conditionalPutOnStaleCopy_isNotLinearizable() {
        assertCaught(HomeMoveProfile.NO_FENCING, 50, Violation.Kind.CONDITIONAL_WRITE, "the write before it is");
    }

    /**
     * Without a replay, a region that lost its Redis has no tombstone left for a delete it had applied: an older
     * write of the key, still on its way, stores the deleted value again, and it stays.
     */
    @Test
    void noReplayAfterDataLoss_lateOlderEvent_resurrectsDeletedValue() {
        assertCaught(HomeMoveProfile.NO_REPLAY_AFTER_DATA_LOSS, 200, Violation.Kind.RESURRECTION, "after the home");
    }

    /** Without a replay, a write applied before the loss, recent enough that the replay would rebuild it, is gone. */
    @Test
    void noReplayAfterDataLoss_recentWrite_isMissingAfterConvergence() {
        assertCaught(HomeMoveProfile.NO_REPLAY_AFTER_DATA_LOSS, 50, Violation.Kind.LOST_WRITE, "live for");
    }

    /**
     * A replay that starts at the loss rebuilds no tombstone of a delete applied before it, so a late older write
     * stores the deleted value again: the rewind must reach a tombstone TTL plus the longest delay back.
     */
    @Test
    void shortReplayRewind_lateOlderEvent_resurrectsDeletedValue() {
        assertCaught(HomeMoveProfile.SHORT_REPLAY_REWIND, 200, Violation.Kind.RESURRECTION, "after the home");
    }

    /**
     * A lock let go when the request timed out lets the next write of the key decide its condition on a copy that
     * misses the first one's append, still in flight: it takes effect, naming a version that was overwritten.
     */
    @Test
    void lockReleasedAtTimeout_conditionalPutBesideAppendInFlight_isNotLinearizable() {
        assertCaught(
                HomeMoveProfile.LOCK_RELEASED_AT_TIMEOUT, 20, Violation.Kind.CONDITIONAL_WRITE, "the write before it");
    }

    /**
     * A lock let go when the request timed out lets a drain finish while the append is in flight: it lands past the
     * fence, and when the next home's clock is behind, the indeterminate write supersedes a write the next home
     * acknowledged after it.
     */
    @Test
    void lockReleasedAtTimeout_appendLandsAfterHandover_indeterminateWriteLosesAcknowledgedOne() {
        assertCaught(
                HomeMoveProfile.LOCK_RELEASED_AT_TIMEOUT, 100, Violation.Kind.LOST_WRITE, "the indeterminate write");
    }

    /**
     * An unconditional put that takes no lock can take its version while a conditional put waits for nothing: the
     * conditional put reads a copy without the put (its append still in flight) and takes effect after it.
     */
    @Test
    void unlockedUnconditionalPuts_putInFlightBesideConditionalPut_isNotLinearizable() {
        assertCaught(
                HomeMoveProfile.UNLOCKED_UNCONDITIONAL_PUTS,
                20,
                Violation.Kind.CONDITIONAL_WRITE,
                "the write before it");
    }

    // ---- helpers ----

    private static void assertCaught(HomeMoveProfile profile, int maxSeeds, Violation.Kind kind, String detail) {
        for (long seed = 1; seed <= maxSeeds; seed++) {
            HomeMoveResult result = HomeMoveSimulation.run(seed, profile.config(), false);
            boolean caught = result.violations().stream()
                    .anyMatch(violation ->
                            violation.kind() == kind && violation.detail().contains(detail));
            if (caught) {
                System.out.printf("%s: expected %s at %s%n", profile, kind, result.report(3));
                return;
            }
        }
        throw new AssertionError(profile + ": no seed in 1.." + maxSeeds + " produced " + kind + " (" + detail
                + "); the check is blind");
    }

    private static void assertEverySeedPasses(HomeMoveProfile profile, long first, int seeds) {
        long started = System.nanoTime();
        List<HomeMoveResult> failed = new ArrayList<>();
        for (long seed = first; seed < first + seeds; seed++) {
            HomeMoveResult result = HomeMoveSimulation.run(seed, profile.config(), false);
            if (!result.passed()) {
                failed.add(result);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%s: %d seeds from %d in %d ms, %d failed%n", profile, seeds, first, millis, failed.size());
        assertThat(failed).as(() -> failureReport(profile, failed)).isEmpty();
    }

    private static String failureReport(HomeMoveProfile profile, List<HomeMoveResult> failed) {
        StringBuilder report = new StringBuilder(failed.size() + " seed(s) failed under " + profile + ". Replay with"
                + " -Dmeridian.simulation.seed=N -Dmeridian.simulation.profile=" + profile + System.lineSeparator());
        failed.stream()
                .limit(5)
                .forEach(result -> report.append(result.report(5)).append(System.lineSeparator()));
        return report.toString();
    }
}

package io.meridian.coherence.clock;

import static io.meridian.coherence.clock.HybridLogicalClock.MAX_PHYSICAL;
import static io.meridian.coherence.clock.HybridLogicalClock.logical;
import static io.meridian.coherence.clock.HybridLogicalClock.pack;
import static io.meridian.coherence.clock.HybridLogicalClock.physical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class HybridLogicalClockTest {

    private static final int MAX_LOGICAL = 0xFFFF;

    /**
     * Wall readings stay in 1..2^46 ms (up to year ~4200): inside the range where packed timestamps are non-negative
     * (its end has tests of its own below), and above 0, because a new clock treats 0 as already issued (so that it
     * never hands out {@code Version.ZERO}'s timestamp).
     */
    private static final long WALL_LIMIT = 1L << 46;

    // ---- now(): monotonic whatever the wall clock does ----

    @Property
    void now_anyWallClockReadings_strictlyIncreasing(@ForAll("wallReadings") List<Long> readings) {
        ManualWallClock wall = new ManualWallClock(0);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long previous = -1;
        for (long reading : readings) {
            wall.set(reading);
            long next = clock.now();
            assertThat(next).as("after wall reading %d", reading).isGreaterThan(previous);
            previous = next;
        }
    }

    @Property
    void now_anyWallClockReadings_physicalPartEqualsLargestWallReadingSeen(
            @ForAll("wallReadings") List<Long> readings) {
        ManualWallClock wall = new ManualWallClock(0);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long largestWall = 0;
        for (long reading : readings) {
            wall.set(reading);
            largestWall = Math.max(largestWall, reading);
            long next = clock.now();
            // Fewer than 2^16 calls per sequence, so the logical counter never carries into the physical part.
            assertThat(physical(next)).as("after wall reading %d", reading).isEqualTo(largestWall);
        }
    }

    @Property
    void now_wallClockMovingForward_physicalPartEqualsWallClockAndLogicalCountsCallsInTheSameMillisecond(
            @ForAll("forwardWallReadings") List<Long> readings) {
        ManualWallClock wall = new ManualWallClock(0);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long previousReading = -1;
        int callsInThisMillisecond = 0;
        for (long reading : readings) {
            wall.set(reading);
            callsInThisMillisecond = reading == previousReading ? callsInThisMillisecond + 1 : 0;
            previousReading = reading;
            long next = clock.now();
            assertThat(physical(next)).isEqualTo(reading);
            assertThat(logical(next)).isEqualTo(callsInThisMillisecond);
        }
    }

    @Property(tries = 20)
    void now_longStall_logicalOverflowCarriesIntoPhysicalAndStaysClose(
            @ForAll @LongRange(min = 1, max = WALL_LIMIT) long stalledAt,
            @ForAll @IntRange(min = 1, max = 300_000) int calls) {
        HybridLogicalClock clock = new HybridLogicalClock(() -> stalledAt);
        long last = -1;
        for (int i = 0; i < calls; i++) {
            long next = clock.now();
            assertThat(next).isEqualTo(pack(stalledAt, 0) + i);
            last = next;
        }
        // The physical part runs ahead of a stalled wall clock by one millisecond per 2^16 timestamps, no more.
        assertThat(physical(last)).isEqualTo(stalledAt + (calls - 1) / (MAX_LOGICAL + 1));
    }

    @Example
    void now_65537CallsInOneMillisecond_lastCarriesIntoNextMillisecond() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);
        long last = 0;
        for (int i = 0; i <= MAX_LOGICAL + 1; i++) {
            last = clock.now();
        }
        assertThat(physical(last)).isEqualTo(1_001);
        assertThat(logical(last)).isZero();
    }

    @Example
    void now_wallClockJumpsBackwards_keepsPhysicalPartAndCountsLogically() {
        ManualWallClock wall = new ManualWallClock(5_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long before = clock.now();

        wall.set(4_000);
        long afterJump = clock.now();

        assertThat(afterJump).isEqualTo(pack(5_000, 1)).isGreaterThan(before);
    }

    @Example
    void now_wallClockCatchesUpAfterBackwardsJump_followsWallClockAgain() {
        ManualWallClock wall = new ManualWallClock(5_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        clock.now();
        wall.set(4_000);
        clock.now();

        wall.set(5_001);

        assertThat(clock.now()).isEqualTo(pack(5_001, 0));
    }

    @Example
    void now_manyThreads_everyTimestampUnique() throws Exception {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 42);
        int threads = 8;
        int perThread = 20_000;
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> increasingPerThread = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                increasingPerThread.add(pool.submit(() -> {
                    start.await();
                    long previous = -1;
                    boolean increasing = true;
                    for (int i = 0; i < perThread; i++) {
                        long next = clock.now();
                        increasing &= next > previous;
                        previous = next;
                        seen.add(next);
                    }
                    return increasing;
                }));
            }
            start.countDown();
            for (Future<Boolean> increasing : increasingPerThread) {
                assertThat(increasing.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(threads * perThread);
        assertThat(clock.peek()).isEqualTo(pack(42, 0) + threads * perThread - 1);
    }

    // ---- observe(remote): causality across nodes ----

    @Property
    void observe_anyRemoteTimestamps_resultAndLaterNowExceedEverythingSeen(@ForAll("steps") List<Step> steps) {
        ManualWallClock wall = new ManualWallClock(0);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long previous = -1;
        long largestRemote = -1;
        for (Step step : steps) {
            wall.set(step.wall());
            long next;
            if (step.remote() >= 0) {
                next = clock.observe(step.remote());
                largestRemote = Math.max(largestRemote, step.remote());
            } else {
                next = clock.now();
            }
            assertThat(next).as("at %s", step).isGreaterThan(previous).isGreaterThan(largestRemote);
            assertThat(clock.peek()).isEqualTo(next);
            previous = next;
        }
        assertThat(clock.now()).isGreaterThan(largestRemote).isGreaterThan(previous);
    }

    @Property
    void observe_anyRemoteTimestamps_physicalPartStaysAtLargestPhysicalTimeSeen(@ForAll("steps") List<Step> steps) {
        ManualWallClock wall = new ManualWallClock(0);
        HybridLogicalClock clock = new HybridLogicalClock(wall);
        long largestPhysicalSeen = 0;
        for (Step step : steps) {
            wall.set(step.wall());
            largestPhysicalSeen = Math.max(largestPhysicalSeen, step.wall());
            long next;
            if (step.remote() >= 0) {
                largestPhysicalSeen = Math.max(largestPhysicalSeen, physical(step.remote()));
                next = clock.observe(step.remote());
            } else {
                next = clock.now();
            }
            // One millisecond more at most: a remote timestamp whose logical counter is full carries over.
            assertThat(physical(next)).as("at %s", step).isBetween(largestPhysicalSeen, largestPhysicalSeen + 1);
        }
    }

    @Example
    void observe_remoteAheadOfWallClock_laterNowFollowsRemote() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);
        long remote = pack(2_000, 7);

        long merged = clock.observe(remote);

        assertThat(merged).isEqualTo(remote + 1);
        assertThat(clock.now()).isEqualTo(remote + 2);
    }

    @Example
    void observe_remoteBehindWallClock_returnsWallClock() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);

        assertThat(clock.observe(pack(900, 3))).isEqualTo(pack(1_000, 0));
    }

    @Example
    void observe_negativeTimestamp_throws() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);

        assertThatThrownBy(() -> clock.observe(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.peek()).isZero();
    }

    @Example
    void peek_afterNow_returnsLastTimestampWithoutAdvancing() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);
        long issued = clock.now();

        assertThat(clock.peek()).isEqualTo(issued);
        assertThat(clock.peek()).isEqualTo(issued);
    }

    // ---- packing ----

    @Property
    void pack_anyPhysicalAndLogical_roundTripsThroughPhysicalAndLogical(
            @ForAll @LongRange(min = 0, max = MAX_PHYSICAL) long physicalMillis,
            @ForAll @IntRange(min = 0, max = MAX_LOGICAL) int logicalCounter) {
        long packed = pack(physicalMillis, logicalCounter);

        assertThat(physical(packed)).isEqualTo(physicalMillis);
        assertThat(logical(packed)).isEqualTo(logicalCounter);
    }

    @Property
    void pack_orderOfTimestamps_isOrderOfPhysicalThenLogical(
            @ForAll @LongRange(min = 0, max = WALL_LIMIT) long physicalA,
            @ForAll @IntRange(min = 0, max = MAX_LOGICAL) int logicalA,
            @ForAll @LongRange(min = 0, max = WALL_LIMIT) long physicalB,
            @ForAll @IntRange(min = 0, max = MAX_LOGICAL) int logicalB) {
        int expected =
                physicalA != physicalB ? Long.compare(physicalA, physicalB) : Integer.compare(logicalA, logicalB);

        assertThat(Long.signum(Long.compare(pack(physicalA, logicalA), pack(physicalB, logicalB))))
                .isEqualTo(expected);
    }

    @Property
    void pack_fullLogicalCounterPlusOne_carriesIntoPhysical(
            @ForAll @LongRange(min = 0, max = MAX_PHYSICAL - 1) long physicalMillis) {
        assertThat(pack(physicalMillis, MAX_LOGICAL) + 1).isEqualTo(pack(physicalMillis + 1, 0));
    }

    @Example
    void pack_physicalOutOfRange_throws() {
        assertThatThrownBy(() -> pack(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pack(MAX_PHYSICAL + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void pack_logicalOutOfRange_throws() {
        assertThatThrownBy(() -> pack(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pack(0, MAX_LOGICAL + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the end of the range (see the report: both fail today) ----

    @Example
    void pack_largestAcceptedPhysical_yieldsNonNegativeTimestamp() {
        assertThat(pack(MAX_PHYSICAL, MAX_LOGICAL)).isNotNegative();
    }

    @Example
    void observe_largestPossibleTimestamp_isRejected() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);

        assertThatThrownBy(() -> clock.observe(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void now_afterLargestTimestamp_failsInsteadOfGoingBackwards() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 1_000);
        clock.observe(Long.MAX_VALUE - 1);

        assertThatThrownBy(clock::now).isInstanceOf(IllegalStateException.class);
    }

    // ---- generators ----

    /** One call: set the wall clock, then {@code now()} (remote < 0) or {@code observe(remote)}. */
    record Step(long wall, long remote) {}

    /** A step before the random walk places it: how far the wall clock moves, and the remote clock's offset. */
    record RawStep(long wallDelta, boolean observes, long remoteOffset, int remoteLogical) {}

    @Provide
    Arbitrary<List<Long>> wallReadings() {
        return randomWalk(wallDeltas());
    }

    @Provide
    Arbitrary<List<Long>> forwardWallReadings() {
        Arbitrary<Long> delta = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0L)),
                Tuple.of(5, Arbitraries.longs().between(1, 1_000)));
        return randomWalk(delta);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // Each step: a wall-clock delta and, half of the time, a remote timestamp at an offset from the new reading
        // (another region's clock, up to an hour off either way) with any logical counter.
        Arbitrary<Long> remoteOffset = Arbitraries.longs().between(-3_600_000, 3_600_000);
        Arbitrary<Integer> remoteLogical = Arbitraries.integers().between(0, MAX_LOGICAL);
        Arbitrary<RawStep> rawSteps = Combinators.combine(
                        wallDeltas(), Arbitraries.of(true, false), remoteOffset, remoteLogical)
                .as(RawStep::new);
        Arbitrary<Long> start = Arbitraries.longs().between(1, WALL_LIMIT / 2);
        return Combinators.combine(start, rawSteps.list().ofMaxSize(300)).as((first, raw) -> {
            List<Step> steps = new ArrayList<>(raw.size());
            long reading = first;
            for (RawStep step : raw) {
                reading = clampToWallRange(reading + step.wallDelta());
                long remote = step.observes()
                        ? pack(clampToWallRange(reading + step.remoteOffset()), step.remoteLogical())
                        : -1;
                steps.add(new Step(reading, remote));
            }
            return steps;
        });
    }

    private static Arbitrary<Long> wallDeltas() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0L)), // stall
                Tuple.of(5, Arbitraries.longs().between(1, 50)), // normal progress
                Tuple.of(2, Arbitraries.longs().between(-3_600_000, -1)), // NTP step or VM migration backwards
                Tuple.of(1, Arbitraries.longs().between(1, 86_400_000))); // jump forward
    }

    private static long clampToWallRange(long reading) {
        return Math.max(1, Math.min(WALL_LIMIT, reading));
    }

    private static Arbitrary<List<Long>> randomWalk(Arbitrary<Long> delta) {
        Arbitrary<Long> start = Arbitraries.longs().between(1, WALL_LIMIT / 2);
        return Combinators.combine(start, delta.list().ofMaxSize(300)).as((first, deltas) -> {
            List<Long> readings = new ArrayList<>(deltas.size() + 1);
            long reading = first;
            readings.add(reading);
            for (long d : deltas) {
                reading = clampToWallRange(reading + d);
                readings.add(reading);
            }
            return readings;
        });
    }

    @Example
    void observe_aVersionFurtherAheadThanTheMaxOffset_isRefusedCountedAndNeverAdopted() {
        ManualWallClock wall = new ManualWallClock(10_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
        long before = clock.now();

        assertThatThrownBy(() -> clock.observe(pack(10_501, 0)))
                .isInstanceOf(HybridLogicalClock.TooFarAheadException.class)
                .hasMessageContaining("501 ms ahead")
                .hasMessageContaining("meridian.clock.max-offset");

        assertThat(clock.refusals()).isEqualTo(1);
        assertThat(clock.peek()).isEqualTo(before);
        assertThat(physical(clock.now())).isEqualTo(10_000);
    }

    @Example
    void observe_aVersionWithinTheMaxOffset_isMergedAndLaterTimestampsFollowIt() {
        ManualWallClock wall = new ManualWallClock(10_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall, 500);

        long merged = clock.observe(pack(10_500, 7));

        assertThat(merged).isGreaterThan(pack(10_500, 7));
        assertThat(clock.now()).isGreaterThan(merged);
        assertThat(clock.refusals()).isZero();
    }
}

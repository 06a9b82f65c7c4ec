package io.meridian.coherence.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.StoredValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Apply-if-newer makes a replica's state a function of the set of events applied, not of their order or multiplicity:
 * a replicator may see a log reordered, duplicated and redelivered and still end where in-order delivery ends. Judged
 * at one instant (the store's clock does not move), since TTLs are relative to the moment of applying.
 */
class ApplyOrderIndependenceTest {

    private static final long NOW = Simulation.START_MILLIS;
    private static final long TOMBSTONE_TTL = 30_000;

    /** A home's log and one delivery of it: every offset at least once, some twice or more, in any order. */
    record Delivery(List<CacheEvent> log, List<Integer> order) {}

    @Property(tries = 1_000)
    void apply_logDeliveredInAnyOrderWithDuplicates_endsInTheSameStore(@ForAll("deliveries") Delivery delivery) {
        ReplicaStore inOrder = store();
        delivery.log().forEach(inOrder::apply);
        ReplicaStore reordered = store();
        delivery.order().forEach(offset -> reordered.apply(delivery.log().get(offset)));

        assertThat(snapshot(reordered)).isEqualTo(snapshot(inOrder));
    }

    @Property(tries = 1_000)
    void apply_anyDelivery_leavesWhatTheNewestEventOfEachKeyAsksFor(@ForAll("deliveries") Delivery delivery) {
        ReplicaStore store = store();
        delivery.order().forEach(offset -> store.apply(delivery.log().get(offset)));

        Map<String, StoredValue> expected = delivery.log().stream()
                .collect(Collectors.groupingBy(
                        ApplyRules::keyOf,
                        TreeMap::new,
                        Collectors.collectingAndThen(
                                Collectors.maxBy(Comparator.comparing(ApplyRules::versionOf)),
                                newest -> ApplyRules.forEvent(newest.orElseThrow(), NOW, TOMBSTONE_TTL)
                                        .orElseThrow()
                                        .value())));
        assertThat(snapshot(store).entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, entry -> entry.getValue().value())))
                .isEqualTo(expected);
    }

    @Property(tries = 500)
    void apply_eventAppliedAgain_changesNothing(@ForAll("deliveries") Delivery delivery) {
        ReplicaStore store = store();
        delivery.order().forEach(offset -> store.apply(delivery.log().get(offset)));
        Map<String, ReplicaStore.Entry> before = snapshot(store);

        for (CacheEvent event : delivery.log()) {
            assertThat(store.apply(event)).as("re-applying %s", event).isFalse();
        }
        assertThat(snapshot(store)).isEqualTo(before);
    }

    private static ReplicaStore store() {
        return new ReplicaStore(() -> NOW, TOMBSTONE_TTL, TOMBSTONE_TTL, (key, value) -> {});
    }

    private static Map<String, ReplicaStore.Entry> snapshot(ReplicaStore store) {
        Map<String, ReplicaStore.Entry> entries = new TreeMap<>();
        store.keys().forEach(key -> entries.put(key, store.get(key)));
        return entries;
    }

    @Provide
    Arbitrary<Delivery> deliveries() {
        return steps().map(steps -> HomeLog.build(NOW - 5_000, 0x0100, steps))
                .flatMap(log -> duplicates(log.size())
                        .flatMap(extra -> Arbitraries.shuffle(everyOffsetAnd(log.size(), extra)))
                        .map(order -> new Delivery(log, order)));
    }

    private static Arbitrary<List<HomeLog.Step>> steps() {
        Arbitrary<Long> ttls = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.longs().between(-3_000, 5_000)), Tuple.of(3, Arbitraries.just(600_000L)));
        return Combinators.combine(
                        Arbitraries.integers().between(-400, 600),
                        Arbitraries.of("a", "b", "c"),
                        Arbitraries.frequency(
                                Tuple.of(6, HomeLog.Kind.WRITE),
                                Tuple.of(1, HomeLog.Kind.WRITE_WITHOUT_VALUE),
                                Tuple.of(2, HomeLog.Kind.DELETE)),
                        ttls)
                .as(HomeLog.Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(30);
    }

    private static Arbitrary<List<Integer>> duplicates(int logSize) {
        return Arbitraries.integers().between(0, logSize - 1).list().ofMaxSize(logSize);
    }

    private static List<Integer> everyOffsetAnd(int logSize, List<Integer> extra) {
        List<Integer> offsets = IntStream.range(0, logSize).boxed().collect(Collectors.toCollection(ArrayList::new));
        offsets.addAll(extra);
        return offsets;
    }
}

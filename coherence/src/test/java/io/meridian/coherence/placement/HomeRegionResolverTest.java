package io.meridian.coherence.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class HomeRegionResolverTest {

    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
    private static final Function<String, Optional<String>> NO_OWNERS = owner -> Optional.empty();

    // ---- hash: stability when the region list changes ----

    @Property
    void rendezvous_regionAdded_everyKeyKeepsItsHomeOrMovesToTheNewRegion(
            @ForAll("regionLists") List<String> regions,
            @ForAll("regionNames") String added,
            @ForAll @IntRange(max = 8) int position,
            @ForAll("keyLists") List<String> keys) {
        Assume.that(!regions.contains(added));
        List<String> grown = new ArrayList<>(regions);
        grown.add(Math.min(position, regions.size()), added);
        HomeRegionResolver before = hashOver(regions);
        HomeRegionResolver after = hashOver(grown);

        for (String key : keys) {
            assertThat(after.rendezvous(key)).as("home of %s", key).isIn(before.rendezvous(key), added);
        }
    }

    @Property
    void rendezvous_regionRemoved_onlyItsKeysMove(
            @ForAll("regionLists") List<String> regions,
            @ForAll @IntRange(max = 7) int removedIndex,
            @ForAll("keyLists") List<String> keys) {
        Assume.that(regions.size() >= 2);
        String removed = regions.get(removedIndex % regions.size());
        List<String> shrunk = new ArrayList<>(regions);
        shrunk.remove(removed);
        HomeRegionResolver before = hashOver(regions);
        HomeRegionResolver after = hashOver(shrunk);

        for (String key : keys) {
            String home = before.rendezvous(key);
            if (home.equals(removed)) {
                assertThat(after.rendezvous(key)).isIn(shrunk);
            } else {
                assertThat(after.rendezvous(key)).as("home of %s", key).isEqualTo(home);
            }
        }
    }

    /** A handover moves a key to its next region: the home it would have if its home region were not in the list. */
    @Property
    void ranked_nextRegion_isTheHomeWithoutTheFirst(
            @ForAll("regionLists") List<String> regions, @ForAll("keyLists") List<String> keys) {
        Assume.that(regions.size() >= 2);
        HomeRegionResolver resolver = hashOver(regions);

        for (String key : keys) {
            List<String> ranked = resolver.ranked(key);
            assertThat(ranked).containsExactlyInAnyOrderElementsOf(regions);
            assertThat(ranked.get(0)).isEqualTo(resolver.rendezvous(key));
            List<String> without = new ArrayList<>(regions);
            without.remove(ranked.get(0));
            assertThat(hashOver(without).rendezvous(key)).as("next of %s", key).isEqualTo(ranked.get(1));
        }
    }

    @Example
    void rendezvous_fourthRegionAdded_movesAboutAQuarterOfKeysAllToIt() {
        HomeRegionResolver three = hashOver(REGIONS);
        HomeRegionResolver four = hashOver(List.of("us-east", "eu-west", "ap-south", "sa-east"));
        int moved = 0;
        for (int i = 0; i < 30_000; i++) {
            String key = "user:" + i;
            if (!four.rendezvous(key).equals(three.rendezvous(key))) {
                assertThat(four.rendezvous(key)).isEqualTo("sa-east");
                moved++;
            }
        }

        assertThat(moved / 30_000.0).isBetween(0.25 - 0.02, 0.25 + 0.02);
    }

    // ---- hash: balance and determinism ----

    @Example
    void rendezvous_threeRegions_eachHomesAThirdOfKeys() {
        assertThat(shares(REGIONS, i -> "user:" + i).values())
                .allSatisfy(share -> assertThat(share).isBetween(1 / 3.0 - 0.05, 1 / 3.0 + 0.05));
    }

    @Property(tries = 20)
    void rendezvous_anyThreeRegionNames_eachHomesAThirdOfKeys(
            @ForAll("threeRegions") List<String> regions, @ForAll("keyPrefixes") String prefix) {
        assertThat(shares(regions, i -> prefix + i).values())
                .allSatisfy(share -> assertThat(share).isBetween(1 / 3.0 - 0.05, 1 / 3.0 + 0.05));
    }

    @Property
    void rendezvous_sameRegionsInAnyOrder_givesTheSameHome(
            @ForAll("regionLists") List<String> regions, @ForAll("keyLists") List<String> keys, @ForAll long seed) {
        List<String> shuffled = new ArrayList<>(regions);
        Collections.shuffle(shuffled, new Random(seed));
        HomeRegionResolver original = hashOver(regions);
        HomeRegionResolver reordered = hashOver(shuffled);
        HomeRegionResolver again = hashOver(regions);

        for (String key : keys) {
            assertThat(reordered.rendezvous(key)).isEqualTo(original.rendezvous(key));
            assertThat(again.rendezvous(key)).isEqualTo(original.rendezvous(key));
        }
    }

    @Property
    void homeOf_hashPlacement_isTheRendezvousWinner(@ForAll("keys") String key) {
        HomeRegionResolver resolver = hashOver(REGIONS);

        assertThat(resolver.homeOf(key, new Placement.Hash())).isEqualTo(resolver.rendezvous(key));
    }

    @Example
    void constructor_noRegions_isRejected() {
        assertThatThrownBy(() -> new HomeRegionResolver(List.of(), NO_OWNERS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- fixed and owner ----

    @Property
    void homeOf_fixedPlacement_isThatRegionForEveryKey(
            @ForAll("keys") String key, @ForAll @IntRange(max = 2) int region) {
        HomeRegionResolver resolver = hashOver(REGIONS);

        assertThat(resolver.homeOf(key, new Placement.Fixed(REGIONS.get(region))))
                .isEqualTo(REGIONS.get(region));
    }

    @Example
    void homeOf_ownerInDirectory_isTheOwnersRegion() {
        HomeRegionResolver resolver = withOwners(Map.of("alice", "ap-south"));

        assertThat(resolver.homeOf("alice:cart", new Placement.Owner())).isEqualTo("ap-south");
        assertThat(resolver.homeOf("alice:profile:v2", new Placement.Owner())).isEqualTo("ap-south");
    }

    @Example
    void homeOf_keyWithoutColon_isItsOwnOwner() {
        HomeRegionResolver resolver = withOwners(Map.of("alice", "eu-west"));

        assertThat(resolver.homeOf("alice", new Placement.Owner())).isEqualTo("eu-west");
    }

    @Property
    void homeOf_unknownOwner_isTheHashHome(@ForAll("keys") String key) {
        HomeRegionResolver resolver = withOwners(Map.of("alice", "eu-west"));
        Assume.that(!Placement.Owner.ownerOf(key).equals("alice"));

        assertThat(resolver.homeOf(key, new Placement.Owner())).isEqualTo(resolver.homeOf(key, new Placement.Hash()));
    }

    @Property
    void homeOf_directoryNamesRegionNotInList_isTheHashHome(@ForAll("keys") String key) {
        HomeRegionResolver resolver = new HomeRegionResolver(REGIONS, owner -> Optional.of("mars-1"));

        assertThat(resolver.homeOf(key, new Placement.Owner())).isEqualTo(resolver.rendezvous(key));
        assertThat(resolver.homeOf(key, new Placement.Owner(), Optional.of("mars-1")))
                .isEqualTo(resolver.rendezvous(key));
    }

    @Example
    void homeOf_ownerLookedUpByCaller_usesTheGivenEntryNotTheDirectory() {
        HomeRegionResolver resolver = withOwners(Map.of("alice", "eu-west"));

        assertThat(resolver.homeOf("alice:cart", new Placement.Owner(), Optional.of("ap-south")))
                .isEqualTo("ap-south");
        assertThat(resolver.homeOf("alice:cart", new Placement.Owner(), Optional.empty()))
                .isEqualTo(resolver.rendezvous("alice:cart"));
    }

    @Example
    void homeOf_nonOwnerPlacement_neverConsultsTheDirectory() {
        HomeRegionResolver resolver = new HomeRegionResolver(REGIONS, owner -> {
            throw new AssertionError("directory consulted for " + owner);
        });

        assertThat(resolver.homeOf("alice:cart", new Placement.Hash())).isEqualTo(resolver.rendezvous("alice:cart"));
        assertThat(resolver.homeOf("alice:cart", new Placement.Fixed("eu-west")))
                .isEqualTo("eu-west");
    }

    @Example
    void ownerOf_keys_isTheFirstColonSeparatedSegment() {
        assertThat(Placement.Owner.ownerOf("alice:cart:1")).isEqualTo("alice");
        assertThat(Placement.Owner.ownerOf("alice")).isEqualTo("alice");
        assertThat(Placement.Owner.ownerOf(":cart")).isEmpty();
    }

    // ---- helpers ----

    private static HomeRegionResolver hashOver(List<String> regions) {
        return new HomeRegionResolver(regions, NO_OWNERS);
    }

    private static HomeRegionResolver withOwners(Map<String, String> directory) {
        return new HomeRegionResolver(REGIONS, owner -> Optional.ofNullable(directory.get(owner)));
    }

    private static Map<String, Double> shares(List<String> regions, Function<Integer, String> keyOf) {
        HomeRegionResolver resolver = hashOver(regions);
        Map<String, Integer> counts = new HashMap<>();
        int keys = 30_000;
        for (int i = 0; i < keys; i++) {
            counts.merge(resolver.rendezvous(keyOf.apply(i)), 1, Integer::sum);
        }
        Map<String, Double> shares = new HashMap<>();
        regions.forEach(region -> shares.put(region, counts.getOrDefault(region, 0) / (double) keys));
        return shares;
    }

    @Provide
    Arbitrary<String> regionNames() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('-')
                .ofMinLength(1)
                .ofMaxLength(14);
    }

    @Provide
    Arbitrary<List<String>> regionLists() {
        return regionNames().list().uniqueElements().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> threeRegions() {
        return regionNames().list().uniqueElements().ofSize(3);
    }

    @Provide
    Arbitrary<String> keyPrefixes() {
        return Arbitraries.of("user:", "k", "session-", "tenant/42/", "");
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars(':')
                        .ofMinLength(1)
                        .ofMaxLength(20));
    }

    @Provide
    Arbitrary<List<String>> keyLists() {
        return keys().list().ofMinSize(1).ofMaxSize(200);
    }
}

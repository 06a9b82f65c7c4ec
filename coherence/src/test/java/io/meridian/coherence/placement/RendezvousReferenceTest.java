package io.meridian.coherence.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Checks {@link HomeRegionResolver#rendezvous} against a plain reference written from the algorithm's description
 * alone, the way Netflix EVCache's {@code NodeLocatorLookupTest} checks its ring against a {@code TreeMap}: score
 * every region with FNV-1a 64 over {@code key, 0x00, region} finished by the SplitMix64 mixer, sort by unsigned score
 * (ties to the earlier region), take the first. The reference's hash is itself pinned by published test vectors, so a
 * change to the production hash cannot slip through by changing both sides.
 */
class RendezvousReferenceTest {

    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");

    @Example
    void referenceFnv1a_publishedVectors_match() {
        // Test vectors from the FNV reference page (http://www.isthe.com/chongo/tech/comp/fnv/).
        assertThat(Reference.fnv1a64("".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xcbf29ce484222325L);
        assertThat(Reference.fnv1a64("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(Reference.fnv1a64("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x85944171f73967e8L);
    }

    @Example
    void referenceSplitMix64_firstOutputOfSeedZero_matches() {
        // SplitMix64 seeded with 0 returns mix(0 + golden gamma) first: 0xe220a8397b1dcdaf.
        assertThat(Reference.splitMix64(0x9e3779b97f4a7c15L)).isEqualTo(0xe220a8397b1dcdafL);
    }

    @Example
    void rendezvous_manyRandomKeys_matchesReference() {
        Random random = new Random(20_260_101);
        List<List<String>> regionLists = List.of(
                REGIONS,
                List.of("us-east", "eu-west", "ap-south", "sa-east", "af-south"),
                List.of("a"),
                List.of("r1", "r2"));
        for (List<String> regions : regionLists) {
            HomeRegionResolver resolver = new HomeRegionResolver(regions, owner -> Optional.empty());
            for (int i = 0; i < 50_000; i++) {
                String key = randomKey(random);
                String expected = Reference.home(key, regions);
                if (!resolver.rendezvous(key).equals(expected)) {
                    throw new AssertionError("key '" + key + "' over " + regions + ": resolver says "
                            + resolver.rendezvous(key) + ", reference says " + expected);
                }
            }
        }
    }

    @Property(tries = 2_000)
    void score_anyKeyAndRegion_equalsReferenceScore(@ForAll String key, @ForAll("regionNames") String region) {
        assertThat(HomeRegionResolver.score(key, region)).isEqualTo(Reference.score(key, region));
    }

    @Property
    void rendezvous_anyKeyAndRegionList_matchesReference(
            @ForAll String key, @ForAll("regionLists") List<String> regions) {
        HomeRegionResolver resolver = new HomeRegionResolver(regions, owner -> Optional.empty());

        assertThat(resolver.rendezvous(key)).isEqualTo(Reference.home(key, regions));
    }

    private static String randomKey(Random random) {
        int length = 1 + random.nextInt(24);
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // Mostly ASCII, sometimes multi-byte UTF-8 (Latin-1 supplement, CJK).
            int kind = random.nextInt(10);
            key.append(kind < 8 ? (char) (32 + random.nextInt(95)) : kind == 8 ? (char) 0xE9 : (char) 0x4E2D);
        }
        return key.toString();
    }

    @Provide
    Arbitrary<String> regionNames() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<List<String>> regionLists() {
        return regionNames().list().uniqueElements().ofMinSize(1).ofMaxSize(6);
    }

    /** Straightforward on purpose: no shared code with the resolver, clarity over speed. */
    private static final class Reference {

        private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
        private static final long FNV_PRIME = 0x100000001b3L;

        private record Scored(int position, String region, long score) {}

        static String home(String key, List<String> regions) {
            List<Scored> scored = new ArrayList<>();
            for (int i = 0; i < regions.size(); i++) {
                scored.add(new Scored(i, regions.get(i), score(key, regions.get(i))));
            }
            scored.sort(Comparator.comparing(Scored::score, (a, b) -> Long.compareUnsigned(b, a))
                    .thenComparingInt(Scored::position));
            return scored.get(0).region();
        }

        static long score(String key, String region) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            byte[] regionBytes = region.getBytes(StandardCharsets.UTF_8);
            byte[] joined = new byte[keyBytes.length + 1 + regionBytes.length];
            System.arraycopy(keyBytes, 0, joined, 0, keyBytes.length);
            joined[keyBytes.length] = 0;
            System.arraycopy(regionBytes, 0, joined, keyBytes.length + 1, regionBytes.length);
            return splitMix64(fnv1a64(joined));
        }

        static long fnv1a64(byte[] data) {
            long hash = FNV_OFFSET_BASIS;
            for (byte b : data) {
                hash ^= Byte.toUnsignedLong(b);
                hash *= FNV_PRIME;
            }
            return hash;
        }

        /** The SplitMix64 output function (Steele, Lea, Flood 2014), as in {@code java.util.SplittableRandom}. */
        static long splitMix64(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}

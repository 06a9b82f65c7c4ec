package io.meridian.coherence.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.coherence.version.Version;
import io.meridian.coherence.version.VersionArbitraries;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The token is a vector clock of versions with max as merge: a join semilattice, so parallel requests combine. */
class SessionTokenTest {

    private static final String[] REGIONS = {"us-east", "eu-west", "ap-south", "sa-east"};

    // ---- merge: commutative, associative, idempotent, per-region maximum ----

    @Property
    void merge_anyTwoTokens_isCommutative(@ForAll("tokens") SessionToken a, @ForAll("tokens") SessionToken b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void merge_anyThreeTokens_isAssociative(
            @ForAll("tokens") SessionToken a, @ForAll("tokens") SessionToken b, @ForAll("tokens") SessionToken c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void merge_tokenWithItself_isThatToken(@ForAll("tokens") SessionToken a) {
        assertThat(a.merge(a)).isEqualTo(a);
    }

    @Property
    void merge_withEmpty_isThatToken(@ForAll("tokens") SessionToken a) {
        assertThat(a.merge(SessionToken.EMPTY)).isEqualTo(a);
        assertThat(SessionToken.EMPTY.merge(a)).isEqualTo(a);
    }

    @Property
    void merge_anyTwoTokens_keepsTheHigherVersionPerRegion(
            @ForAll("tokens") SessionToken a, @ForAll("tokens") SessionToken b) {
        SessionToken merged = a.merge(b);
        Set<String> regions = new TreeSet<>(a.seen().keySet());
        regions.addAll(b.seen().keySet());

        assertThat(merged.seen().keySet()).isEqualTo(regions);
        for (String region : regions) {
            assertThat(merged.seenFrom(region)).isEqualTo(max(a.seenFrom(region), b.seenFrom(region)));
        }
    }

    // ---- with: monotone ----

    @Property
    void with_anyVersion_neverLowersWhatWasSeen(
            @ForAll("tokens") SessionToken token, @ForAll("regions") String home, @ForAll("versions") Version version) {
        SessionToken next = token.with(home, version);

        assertThat(next.seenFrom(home)).hasValueSatisfying(seen -> {
            assertThat(seen).isGreaterThanOrEqualTo(version);
            token.seenFrom(home).ifPresent(before -> assertThat(seen).isGreaterThanOrEqualTo(before));
        });
        for (String other : REGIONS) {
            if (!other.equals(home)) {
                assertThat(next.seenFrom(other)).isEqualTo(token.seenFrom(other));
            }
        }
    }

    @Property
    void with_olderOrEqualVersion_leavesTokenUnchanged(
            @ForAll("tokens") SessionToken token, @ForAll("regions") String home, @ForAll("versions") Version version) {
        SessionToken seen = token.with(home, version);

        assertThat(seen.with(home, version)).isEqualTo(seen);
        assertThat(seen.with(home, Version.ZERO)).isEqualTo(seen);
    }

    @Property
    void with_isMergeWithASingleEntry(
            @ForAll("tokens") SessionToken token, @ForAll("regions") String home, @ForAll("versions") Version version) {
        assertThat(token.with(home, version)).isEqualTo(token.merge(new SessionToken(Map.of(home, version))));
    }

    // ---- isSatisfiedBy ----

    @Property
    void isSatisfiedBy_regionNeverSeen_acceptsAnyCopyEvenNone(
            @ForAll("versions") Version local, @ForAll("versions") Version elsewhere) {
        SessionToken token = SessionToken.EMPTY.with("eu-west", elsewhere);

        assertThat(token.isSatisfiedBy("us-east", local)).isTrue();
        assertThat(token.isSatisfiedBy("us-east", null)).isTrue();
    }

    @Property
    void isSatisfiedBy_regionSeen_acceptsExactlyCopiesAtLeastThatNew(
            @ForAll("versions") Version required, @ForAll("versions") Version local) {
        SessionToken token = SessionToken.EMPTY.with("us-east", required);

        assertThat(token.isSatisfiedBy("us-east", local)).isEqualTo(local.compareTo(required) >= 0);
        assertThat(token.isSatisfiedBy("us-east", null)).isFalse();
    }

    @Property
    void isSatisfiedBy_tokenThatSawMore_isNeverEasierToSatisfy(
            @ForAll("tokens") SessionToken token,
            @ForAll("tokens") SessionToken more,
            @ForAll("regions") String home,
            @ForAll("versions") Version local) {
        if (token.merge(more).isSatisfiedBy(home, local)) {
            assertThat(token.isSatisfiedBy(home, local)).isTrue();
        }
    }

    // ---- value semantics ----

    @Example
    void constructor_mapChangedAfterwards_tokenUnchanged() {
        Map<String, Version> seen = new HashMap<>(Map.of("us-east", new Version(7, 1)));
        SessionToken token = new SessionToken(seen);
        seen.put("us-east", new Version(9, 1));

        assertThat(token.seenFrom("us-east")).contains(new Version(7, 1));
        assertThatThrownBy(() -> token.seen().put("eu-west", Version.ZERO))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Optional<Version> max(Optional<Version> a, Optional<Version> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get());
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of(REGIONS);
    }

    @Provide
    Arbitrary<Version> versions() {
        // A small pool as well, so that two tokens often share a region with equal or close versions.
        return Arbitraries.oneOf(
                VersionArbitraries.versions(),
                Arbitraries.longs()
                        .between(0, 3)
                        .flatMap(hlc -> Arbitraries.integers().between(0, 2).map(origin -> new Version(hlc, origin))));
    }

    @Provide
    Arbitrary<SessionToken> tokens() {
        return Arbitraries.maps(regions(), versions()).ofMaxSize(REGIONS.length).map(SessionToken::new);
    }
}

package io.meridian.coherence.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The guarantees of the read and write decisions, over every combination of their facts: what the table tests show
 * row by row, stated once for all inputs.
 */
class DecisionPropertiesTest {

    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
    private static final String SELF = REGIONS.get(0);

    /**
     * Read-your-writes: a read that answers from the copy here honours the token's version of the key's home and of
     * every former home, by the copy's own version or by what this region has applied of that region's log; and a
     * region answers for its own keys only while it may.
     */
    @Property(tries = 2_000)
    void aLocalAnswer_honoursTheTokenForTheHomeAndEveryFormerHome(
            @ForAll @IntRange(min = 0, max = 2) int natural,
            @ForAll @IntRange(min = 0, max = 2) int home,
            @ForAll boolean formerNatural,
            @ForAll @IntRange(min = 0, max = 4) int copyHlc,
            @ForAll @IntRange(min = 0, max = 3) int copyKind,
            @ForAll @IntRange(min = 0, max = 4) int tokenHome,
            @ForAll @IntRange(min = 0, max = 4) int tokenFormer,
            @ForAll @IntRange(min = -1, max = 4) int watermark,
            @ForAll boolean freshReadsAllowed,
            @ForAll boolean readThrough,
            @ForAll boolean rebuilding,
            @ForAll boolean mayAnswerOwnKeys) {
        List<String> formers = new ArrayList<>();
        if (formerNatural && natural != home) {
            formers.add(REGIONS.get(natural));
        }
        Route route = new Route(REGIONS.get(natural), REGIONS.get(home), formers);
        StoredEntry local = entry(copyKind, copyHlc);
        SessionToken token = token(route.home(), tokenHome);
        for (String former : formers) {
            token = token.merge(token(former, tokenFormer));
        }
        ReadDecision.Facts facts = new ReadDecision.Facts(
                SELF,
                route,
                local,
                token,
                region -> watermark,
                freshReadsAllowed,
                5_000,
                readThrough,
                false,
                false,
                rebuilding,
                mayAnswerOwnKeys);

        ReadDecision.Plan plan = ReadDecision.decide(facts);

        if (plan == ReadDecision.Plan.LOCAL || plan == ReadDecision.Plan.LOCAL_REFRESH_EARLY) {
            // The home answers from its own store, a miss included; anywhere else a local answer needs a copy.
            List<String> honoured = new ArrayList<>(formers);
            if (!route.home().equals(SELF)) {
                assertThat(local.value())
                        .as("a local answer away from the home needs a copy")
                        .isNotNull();
                honoured.add(route.home());
            }
            for (String region : honoured) {
                Optional<Version> required = token.seenFrom(region);
                Version copy = local.value() == null ? null : local.value().version();
                assertThat(required.isEmpty()
                                || token.isSatisfiedBy(region, copy)
                                || watermark >= required.get().hlc())
                        .as("the token's version of %s is honoured", region)
                        .isTrue();
            }
            if (route.home().equals(SELF)) {
                assertThat(rebuilding).isFalse();
                assertThat(route.natural().equals(SELF) && !mayAnswerOwnKeys).isFalse();
            }
        }
        if (plan == ReadDecision.Plan.STALE) {
            assertThat(freshReadsAllowed).isFalse();
            assertThat(token.seenFrom(route.home())).isEmpty();
        }
    }

    /**
     * A write is executed only by the region that homes the key now, outside a cache rebuild, a drain or a return,
     * once it has passed the move's fence (keys it took over) or caught up (its own keys); a forwarded write under
     * another epoch than the one held is refused.
     */
    @Property(tries = 2_000)
    void aWriteIsExecutedOnlyWhereEveryConditionHolds(
            @ForAll @IntRange(min = 0, max = 2) int natural,
            @ForAll @IntRange(min = 0, max = 2) int home,
            @ForAll boolean forwarded,
            @ForAll @IntRange(min = -1, max = 3) int sentEpoch,
            @ForAll @IntRange(min = 0, max = 3) int heldEpoch,
            @ForAll boolean rebuilding,
            @ForAll boolean fencePassed,
            @ForAll @IntRange(min = -1, max = 2) int state,
            @ForAll boolean mayAnswerOwnKeys) {
        Optional<HandoverState> handover = state < 0 ? Optional.empty() : Optional.of(HandoverState.values()[state]);
        WriteDecision.Facts facts = new WriteDecision.Facts(
                SELF,
                REGIONS.get(natural),
                REGIONS.get(home),
                forwarded,
                sentEpoch < 0 ? Optional.empty() : Optional.of((long) sentEpoch),
                heldEpoch,
                rebuilding,
                fencePassed,
                handover,
                mayAnswerOwnKeys);

        WriteDecision.Plan plan = WriteDecision.decide(facts);

        boolean here = REGIONS.get(home).equals(SELF);
        boolean own = REGIONS.get(natural).equals(SELF);
        if (plan == WriteDecision.Plan.EXECUTE) {
            assertThat(here).isTrue();
            assertThat(rebuilding).isFalse();
            assertThat(own || fencePassed).isTrue();
            assertThat(!own || mayAnswerOwnKeys).isTrue();
            assertThat(handover).isNotIn(Optional.of(HandoverState.DRAINING), Optional.of(HandoverState.RETURNING));
            assertThat(!forwarded || sentEpoch < 0 || sentEpoch == heldEpoch).isTrue();
        }
        if (plan == WriteDecision.Plan.FORWARD) {
            assertThat(here).isFalse();
            assertThat(forwarded)
                    .as("a forwarded write is never forwarded again")
                    .isFalse();
        }
        assertThat(Set.of(WriteDecision.Plan.values())).contains(plan);
    }

    /** 0: absent, 1: live value, 2: tombstone, 3: expired value. */
    private static StoredEntry entry(int kind, int hlc) {
        Version version = new Version((long) hlc << 16, 1);
        StoredValue value = StoredValue.value(version, "text/plain", "v".getBytes(StandardCharsets.UTF_8));
        return switch (kind) {
            case 0 -> StoredEntry.ABSENT;
            case 1 -> new StoredEntry(value, 60_000);
            case 2 -> new StoredEntry(StoredValue.tombstone(version), 60_000);
            default -> new StoredEntry(value, -1_000);
        };
    }

    /** A token that saw {@code hlc} from {@code region}; 0 is none. */
    private static SessionToken token(String region, int hlc) {
        return hlc == 0 ? SessionToken.EMPTY : new SessionToken(Map.of(region, new Version((long) hlc << 16, 1)));
    }
}

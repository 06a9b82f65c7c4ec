package io.meridian.coherence.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.routing.WriteDecision.Facts;
import io.meridian.coherence.routing.WriteDecision.Plan;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every branch of the write decision, one row each. */
class WriteDecisionTest {

    private static final String SELF = "us-east";
    private static final String OTHER = "eu-west";
    private static final Optional<Long> NONE = Optional.empty();
    private static final Optional<HandoverState> AT_HOME = Optional.empty();

    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "a client's write of an own key",
                        facts(SELF, SELF, false, NONE, 0, false, true, AT_HOME, true),
                        Plan.EXECUTE),
                row(
                        "a client's write of another region's key",
                        facts(OTHER, OTHER, false, NONE, 0, false, true, AT_HOME, true),
                        Plan.FORWARD),
                row(
                        "forwarded here, but another region homes the key now",
                        facts(OTHER, OTHER, true, NONE, 0, false, true, AT_HOME, true),
                        Plan.REFUSE_NOT_HOME),
                row(
                        "forwarded under an older epoch",
                        facts(SELF, SELF, true, Optional.of(3L), 4, false, true, AT_HOME, true),
                        Plan.REFUSE_EPOCH),
                row(
                        "forwarded under a newer epoch",
                        facts(SELF, SELF, true, Optional.of(5L), 4, false, true, AT_HOME, true),
                        Plan.REFUSE_EPOCH),
                row(
                        "forwarded under the held epoch",
                        facts(SELF, SELF, true, Optional.of(4L), 4, false, true, AT_HOME, true),
                        Plan.EXECUTE),
                row(
                        "forwarded by a sender that names no epoch",
                        facts(SELF, SELF, true, NONE, 4, false, true, AT_HOME, true),
                        Plan.EXECUTE),
                row(
                        "a client's write is not checked against epochs",
                        facts(SELF, SELF, false, Optional.of(1L), 4, false, true, AT_HOME, true),
                        Plan.EXECUTE),
                row(
                        "the cache is being rebuilt",
                        facts(SELF, SELF, false, NONE, 0, true, true, AT_HOME, true),
                        Plan.REFUSE_REBUILDING),
                row(
                        "taken over, the fence not passed",
                        facts(OTHER, SELF, false, NONE, 2, false, false, Optional.of(HandoverState.MOVED), true),
                        Plan.REFUSE_FENCE),
                row(
                        "taken over, the fence passed",
                        facts(OTHER, SELF, false, NONE, 2, false, true, Optional.of(HandoverState.MOVED), true),
                        Plan.EXECUTE),
                row(
                        "an own key while this region drains",
                        facts(SELF, SELF, false, NONE, 1, false, true, Optional.of(HandoverState.DRAINING), true),
                        Plan.REFUSE_DRAINING),
                row(
                        "taken over while the key returns home",
                        facts(OTHER, SELF, false, NONE, 3, false, true, Optional.of(HandoverState.RETURNING), true),
                        Plan.REFUSE_RETURNING),
                row(
                        "an own key while this region catches up",
                        facts(SELF, SELF, false, NONE, 0, false, true, AT_HOME, false),
                        Plan.REFUSE_RECOVERING),
                row(
                        "catching up concerns own keys only",
                        facts(OTHER, SELF, false, NONE, 2, false, true, Optional.of(HandoverState.MOVED), false),
                        Plan.EXECUTE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String why, Facts facts, Plan expected) {
        assertThat(WriteDecision.decide(facts)).as(why).isEqualTo(expected);
    }

    private static Arguments row(String why, Facts facts, Plan expected) {
        return Arguments.of(why, facts, expected);
    }

    private static Facts facts(
            String natural,
            String home,
            boolean forwarded,
            Optional<Long> sent,
            long held,
            boolean rebuilding,
            boolean fencePassed,
            Optional<HandoverState> state,
            boolean ownKeys) {
        return new Facts(SELF, natural, home, forwarded, sent, held, rebuilding, fencePassed, state, ownKeys);
    }
}

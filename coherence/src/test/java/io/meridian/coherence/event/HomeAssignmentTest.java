package io.meridian.coherence.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HomeAssignmentTest {

    @Property
    void encode_thenParse_givesTheSameAssignment(
            @ForAll("states") String state,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long epoch,
            @ForAll @Size(max = 8) Map<@IntRange(min = 0, max = 1000) Integer, @LongRange(min = 0) Long> fence) {
        HomeAssignment assignment = new HomeAssignment(state, epoch, fence);

        assertThat(HomeAssignment.parse(assignment.encode())).isEqualTo(assignment);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> states() {
        return net.jqwik.api.Arbitraries.of("home", "draining", "moved", "returning");
    }

    @Test
    void parse_aBareStateWrittenBeforeEpochs_isEpochZeroWithoutAFence() {
        assertThat(HomeAssignment.parse("moved")).isEqualTo(HomeAssignment.of("moved", 0));
    }

    @Test
    void parse_wordsOfANewerVersion_areIgnored() {
        assertThat(HomeAssignment.parse("moved epoch=4 by=operator fence=0:10"))
                .isEqualTo(new HomeAssignment("moved", 4, Map.of(0, 10L)));
    }

    @Test
    void parse_garbage_isRefusedWithTheText() {
        assertThatThrownBy(() -> HomeAssignment.parse("moved epoch=four"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("moved epoch=four");
        assertThatThrownBy(() -> HomeAssignment.parse("moved fence=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HomeAssignment.parse("moved epoch=-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void admits_aLaterEpoch_orTheSameAssignmentAgain_only() {
        HomeAssignment held = HomeAssignment.of("moved", 5);

        assertThat(held.admits(HomeAssignment.of("home", 6))).isTrue();
        assertThat(held.admits(HomeAssignment.of("moved", 5))).isTrue();
        assertThat(held.admits(HomeAssignment.of("home", 5)))
                .as("another state under the same epoch")
                .isFalse();
        assertThat(held.admits(new HomeAssignment("moved", 5, Map.of(0, 1L)))).isFalse();
        assertThat(held.admits(HomeAssignment.of("draining", 4)))
                .as("an older command")
                .isFalse();
    }

    @Test
    void fencePassed_onlyOnceEveryPartitionIsAppliedUpToItsEnd() {
        HomeAssignment moved = new HomeAssignment("moved", 2, Map.of(0, 100L, 1, 0L, 2, 7L));

        assertThat(moved.fencePassed(Map.of(0, 99L, 2, 6L)))
                .as("offsets 99 and 6 are the last below the ends")
                .isTrue();
        assertThat(moved.fencePassed(Map.of(0, 98L, 2, 6L)))
                .as("one event of partition 0 missing")
                .isFalse();
        assertThat(moved.fencePassed(Map.of(0, 99L)))
                .as("nothing of partition 2 applied")
                .isFalse();
        assertThat(HomeAssignment.of("moved", 2).fencePassed(Map.of()))
                .as("no fence")
                .isTrue();
    }
}

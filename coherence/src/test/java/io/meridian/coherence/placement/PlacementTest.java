package io.meridian.coherence.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementTest {

    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");

    @Test
    void parse_hash_isHashPlacement() {
        assertThat(Placement.parse("hash", REGIONS)).isEqualTo(new Placement.Hash());
    }

    @Test
    void parse_owner_isOwnerPlacement() {
        assertThat(Placement.parse("owner", REGIONS)).isEqualTo(new Placement.Owner());
    }

    @Test
    void parse_fixedKnownRegion_isFixedPlacementOfThatRegion() {
        assertThat(Placement.parse("fixed:eu-west", REGIONS)).isEqualTo(new Placement.Fixed("eu-west"));
    }

    @Test
    void parse_fixedUnknownRegion_isRejectedNamingTheRegions() {
        assertThatThrownBy(() -> Placement.parse("fixed:mars-1", REGIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed:mars-1")
                .hasMessageContaining("us-east");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "HASH", "Owner", " hash", "hash ", "fixed", "fixed:", "fixed: eu-west", "random", "rr"})
    void parse_malformedPolicy_isRejected(String text) {
        assertThatThrownBy(() -> Placement.parse(text, REGIONS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> Placement.parse(null, REGIONS)).isInstanceOf(NullPointerException.class);
    }
}

package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.placement.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HomeKeysTest {

    @Test
    void next_givesFreshKeysHomedInTheRegion_whateverTheOrderOfRegionsGiven() {
        HomeKeys keys = new HomeKeys("repl-x-", "us-east", List.of("us-east", "eu-west"));
        HomeRegionResolver gateways = new HomeRegionResolver(List.of("eu-west", "us-east"), owner -> Optional.empty());

        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            picked.add(keys.next());
        }

        assertThat(picked).doesNotHaveDuplicates().allMatch(key -> key.startsWith("repl-x-"));
        assertThat(picked)
                .allMatch(key -> gateways.homeOf(key, new Placement.Hash()).equals("us-east"));
        // Rendezvous hashing over two regions homes about half the candidates in each.
        assertThat(keys.candidates()).isBetween(1800L, 2200L);
    }

    @Test
    void rejectsARegionNotInTheList() {
        assertThatThrownBy(() -> new HomeKeys("k", "mars", List.of("us-east", "eu-west")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

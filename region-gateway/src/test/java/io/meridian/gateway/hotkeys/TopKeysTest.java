package io.meridian.gateway.hotkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKeysTest {

    @Test
    void theHotKeysStandOutOfAlongTailOfColdOnes() {
        TopKeys top = new TopKeys(32, 1 << 12);
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            int roll = random.nextInt(100);
            if (roll < 20) {
                top.record("hot-a");
            } else if (roll < 30) {
                top.record("hot-b");
            } else if (roll < 35) {
                top.record("hot-c");
            } else {
                top.record("cold-" + random.nextInt(100_000));
            }
        }

        List<TopKeys.Hot> hot = top.roll(3, 1_000);

        assertThat(hot).extracting(TopKeys.Hot::id).containsExactly("hot-a", "hot-b", "hot-c");
        assertThat(hot.get(0).reads()).isBetween(39_000L, 42_000L);
    }

    @Test
    void rollStartsAnEmptyWindow_andKeysBelowTheThresholdAreNotHot() {
        TopKeys top = new TopKeys(8, 1 << 10);
        for (int i = 0; i < 50; i++) {
            top.record("warm");
        }
        top.record("once");

        assertThat(top.roll(10, 10)).extracting(TopKeys.Hot::id).containsExactly("warm");
        assertThat(top.roll(10, 1)).isEmpty();
    }
}

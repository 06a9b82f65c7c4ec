package io.meridian.infra.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollapsedStacksTest {

    @Test
    void add_sameStackAgain_addsToItsWeight() {
        CollapsedStacks stacks = new CollapsedStacks("samples");

        stacks.add(List.of("main", "get"), 2);
        stacks.add(List.of("main", "put"), 1);
        stacks.add(List.of("main", "get"), 3);

        assertThat(stacks.weights()).containsEntry(List.of("main", "get"), 5L).hasSize(2);
        assertThat(stacks.total()).isEqualTo(6);
    }

    @Test
    void toText_isOneSortedLinePerStack() {
        CollapsedStacks stacks = new CollapsedStacks("samples");
        stacks.add(List.of("main", "put"), 1);
        stacks.add(List.of("main", "get", "decode"), 7);

        assertThat(stacks.toText()).isEqualTo("main;get;decode 7\nmain;put 1\n");
    }

    @Test
    void add_rejectsEmptyStacksAndWeightsBelowOne() {
        CollapsedStacks stacks = new CollapsedStacks("samples");

        assertThatIllegalArgumentException().isThrownBy(() -> stacks.add(List.of(), 1));
        assertThatIllegalArgumentException().isThrownBy(() -> stacks.add(List.of("main"), 0));
    }
}

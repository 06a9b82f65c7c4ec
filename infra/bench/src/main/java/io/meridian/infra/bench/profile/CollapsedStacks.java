package io.meridian.infra.bench.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Call stacks with the weight observed in each (samples or bytes), the input of a flame graph. Stacks are root first,
 * as a flame graph draws them from the bottom up; adding the same stack again adds to its weight.
 *
 * <p>The text form is the "collapsed" (folded) format of Brendan Gregg's FlameGraph tools, one {@code a;b;c 42} line a
 * stack, sorted so that two profiles of the same code diff line by line.
 */
final class CollapsedStacks {

    private final String unit;
    private final Map<List<String>, Long> weights = new LinkedHashMap<>();
    private long total;

    /** @param unit what a weight counts, plural: {@code samples}, {@code bytes} */
    CollapsedStacks(String unit) {
        this.unit = Objects.requireNonNull(unit, "unit");
    }

    /** Adds {@code weight} to the stack whose frames are {@code rootFirst}. */
    void add(List<String> rootFirst, long weight) {
        if (rootFirst.isEmpty()) {
            throw new IllegalArgumentException("a stack needs at least one frame");
        }
        if (weight <= 0) {
            throw new IllegalArgumentException("weight must be positive: " + weight);
        }
        weights.merge(List.copyOf(rootFirst), weight, Long::sum);
        total += weight;
    }

    /** @return each distinct stack, root first, with its weight, in the order first seen */
    Map<List<String>, Long> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /** @return the weight of all stacks together */
    long total() {
        return total;
    }

    String unit() {
        return unit;
    }

    /** @return the collapsed text: a {@code root;...;leaf weight} line per stack, sorted */
    String toText() {
        return weights.entrySet().stream()
                .map(e -> String.join(";", e.getKey()) + " " + e.getValue())
                .sorted()
                .collect(Collectors.joining("\n", "", weights.isEmpty() ? "" : "\n"));
    }
}

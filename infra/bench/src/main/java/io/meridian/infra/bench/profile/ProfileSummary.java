package io.meridian.infra.bench.profile;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The frames a profile spends most in, as markdown tables a document can quote. A frame's self weight is that of the
 * stacks it is the leaf of (where the CPU was when sampled, or the allocated type); its inclusive weight is that of
 * every stack it is in, counted once in a recursive stack, so that no frame exceeds 100%.
 */
final class ProfileSummary {

    /**
     * @param self the weight of the stacks whose leaf is this frame
     * @param inclusive the weight of the stacks this frame is in
     */
    record FrameWeight(String frame, long self, long inclusive) {}

    private final CollapsedStacks stacks;
    private final List<FrameWeight> frames;

    private ProfileSummary(CollapsedStacks stacks, List<FrameWeight> frames) {
        this.stacks = stacks;
        this.frames = frames;
    }

    static ProfileSummary of(CollapsedStacks stacks) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        stacks.weights().forEach((rootFirst, weight) -> {
            self.merge(rootFirst.get(rootFirst.size() - 1), weight, Long::sum);
            Set<String> distinct = new HashSet<>(rootFirst);
            distinct.forEach(frame -> inclusive.merge(frame, weight, Long::sum));
        });
        List<FrameWeight> frames = inclusive.entrySet().stream()
                .map(e -> new FrameWeight(e.getKey(), self.getOrDefault(e.getKey(), 0L), e.getValue()))
                .toList();
        return new ProfileSummary(stacks, frames);
    }

    /** @return the {@code n} frames with the most self weight, most first */
    List<FrameWeight> topBySelf(int n) {
        return top(n, FrameWeight::self);
    }

    /** @return the {@code n} frames with the most inclusive weight, most first */
    List<FrameWeight> topByInclusive(int n) {
        return top(n, FrameWeight::inclusive);
    }

    private List<FrameWeight> top(int n, ToLongFunction<FrameWeight> weight) {
        return frames.stream()
                .filter(frame -> weight.applyAsLong(frame) > 0)
                .sorted(Comparator.comparingLong(weight).reversed().thenComparing(FrameWeight::frame))
                .limit(n)
                .toList();
    }

    /** @return two markdown tables, the top {@code n} frames by self and by inclusive weight, each with both weights */
    String markdown(int n) {
        return String.format(Locale.ROOT, "%,d %s in all.\n\n", stacks.total(), stacks.unit())
                + table("Top " + n + " frames by self " + stacks.unit(), topBySelf(n))
                + "\n"
                + table("Top " + n + " frames by inclusive " + stacks.unit(), topByInclusive(n));
    }

    private String table(String heading, List<FrameWeight> rows) {
        StringBuilder out = new StringBuilder();
        out.append(heading).append(":\n\n");
        out.append("| Frame | Self | Self % | Inclusive | Inclusive % |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (FrameWeight row : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    "| `%s` | %,d | %.1f%% | %,d | %.1f%% |\n",
                    row.frame(),
                    row.self(),
                    percent(row.self()),
                    row.inclusive(),
                    percent(row.inclusive())));
        }
        return out.toString();
    }

    private double percent(long weight) {
        return 100.0 * weight / stacks.total();
    }
}

package io.meridian.coherence.event;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who executes the writes of a natural home region's keys, as one record of the region's control topic and one field of
 * the Redis hash {@link io.meridian.coherence.redis.RedisKeys#HANDOVERS} carry it.
 *
 * <ul>
 *   <li>{@code state}: {@value #HOME} (the region executes its keys' writes), {@code draining} (it still owns them but
 *       refuses their writes), {@code moved} (each key's next region executes them) or {@code returning} (still moved,
 *       writes refused while the region catches up);
 *   <li>{@code epoch}: a number that grows with every change of the assignment. Every region is told the same epoch
 *       for the same change, so two gateways agree on who executes a key's writes exactly when they hold the same
 *       epoch: a gateway refuses a change older than the one it holds, and a home refuses a write forwarded under
 *       another epoch than its own (the forwarder's view is behind or ahead of its own). Kept in the control topic,
 *       so the loss of a region's Redis does not lose it;
 *   <li>{@code fence}: for a move decided while the region did not answer, the end offset of each partition of its
 *       event log at that moment. The next regions execute none of its keys' writes, and decide no conditional write
 *       on their copies, until they have applied its log up to there: every write the region acknowledged before it
 *       went away is then in their copies, and their versions follow it.
 * </ul>
 *
 * Text form: {@code <state> epoch=<n>[ fence=<partition>:<end offset>,...]}; a bare state (written before epochs
 * existed) reads as epoch 0 without a fence.
 *
 * @param state the assignment's state, lower case
 * @param epoch the assignment's epoch, at least 0
 * @param fence partition → end offset of the moved region's log when the move was decided; empty when none
 */
public record HomeAssignment(String state, long epoch, Map<Integer, Long> fence) {

    /** The state of a region that executes its own keys' writes. */
    public static final String HOME = "home";

    public HomeAssignment {
        Objects.requireNonNull(state, "state");
        if (state.isBlank() || !state.equals(state.toLowerCase(Locale.ROOT)) || state.contains(" ")) {
            throw new IllegalArgumentException("a state is one lower-case word: '" + state + "'");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is at least 0: " + epoch);
        }
        for (Map.Entry<Integer, Long> end :
                Objects.requireNonNull(fence, "fence").entrySet()) {
            if (end.getKey() == null || end.getValue() == null || end.getKey() < 0 || end.getValue() < 0) {
                throw new IllegalArgumentException("a fence names partitions and end offsets of at least 0: " + fence);
            }
        }
        fence = Collections.unmodifiableMap(new TreeMap<>(fence));
    }

    /** @return an assignment without a fence */
    public static HomeAssignment of(String state, long epoch) {
        return new HomeAssignment(state, epoch, Map.of());
    }

    /** @return the text form, as the control topic and the Redis hash keep it */
    public String encode() {
        StringBuilder text = new StringBuilder(state).append(" epoch=").append(epoch);
        if (!fence.isEmpty()) {
            text.append(" fence=");
            String separator = "";
            for (Map.Entry<Integer, Long> end : fence.entrySet()) {
                text.append(separator).append(end.getKey()).append(':').append(end.getValue());
                separator = ",";
            }
        }
        return text.toString();
    }

    /**
     * @param text an assignment's text form, or a bare state
     * @return the assignment
     * @throws IllegalArgumentException when the text is neither
     */
    public static HomeAssignment parse(String text) {
        String[] words = text.trim().split(" +");
        long epoch = 0;
        Map<Integer, Long> fence = new TreeMap<>();
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            try {
                if (word.startsWith("epoch=")) {
                    epoch = Long.parseLong(word.substring("epoch=".length()));
                } else if (word.startsWith("fence=")) {
                    for (String end : word.substring("fence=".length()).split(",")) {
                        int colon = end.indexOf(':');
                        fence.put(Integer.parseInt(end.substring(0, colon)), Long.parseLong(end.substring(colon + 1)));
                    }
                }
                // Other words: written by a newer version, ignored.
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an assignment: '" + text + "'", e);
            }
        }
        return new HomeAssignment(words[0].toLowerCase(Locale.ROOT), epoch, fence);
    }

    /**
     * Whether a gateway holding this assignment takes {@code offered}: a later epoch, or the same assignment again (a
     * command retried).
     */
    public boolean admits(HomeAssignment offered) {
        return offered.epoch > epoch || offered.equals(this);
    }

    /**
     * @param applied partition → the last offset of the moved region's log applied in this region (absent: none)
     * @return whether every event of the moved region's log below the fence has been applied
     */
    public boolean fencePassed(Map<Integer, Long> applied) {
        for (Map.Entry<Integer, Long> end : fence.entrySet()) {
            if (end.getValue() > 0 && applied.getOrDefault(end.getKey(), -1L) < end.getValue() - 1) {
                return false;
            }
        }
        return true;
    }
}

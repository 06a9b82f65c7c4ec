package io.meridian.gateway.hotkeys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most read keys of a time window, in bounded memory: a count-min sketch estimates every key's reads (it can only
 * over-count, by little when the counters are many), and a small candidate table keeps the keys whose estimate is
 * among the highest seen. When the table is full, a key enters only by beating its smallest estimate. Windows are
 * tumbling: {@link #roll} returns the window's top keys and starts an empty one, so a key that cools down leaves the
 * list after one window.
 *
 * <p>Not thread-safe; callers synchronize.
 */
final class TopKeys {

    private static final int ROWS = 4;
    private static final long[] SEEDS = {
        0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L
    };

    private final int width;
    private final int capacity;
    private final int[][] counters;
    private final Map<String, Long> candidates = new HashMap<>();
    private long smallest;

    /** One hot key and its estimated reads in the window. */
    public record Hot(String id, long reads) {}

    /**
     * @param capacity how many candidate keys are tracked (a few times the K the caller will ask for)
     * @param widthPowerOfTwo counters per sketch row, a power of two; more counters, smaller over-counts
     */
    public TopKeys(int capacity, int widthPowerOfTwo) {
        if (capacity < 1 || Integer.bitCount(widthPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be positive and width a power of two");
        }
        this.capacity = capacity;
        this.width = widthPowerOfTwo;
        this.counters = new int[ROWS][widthPowerOfTwo];
    }

    /** Counts one read of {@code id}. */
    public void record(String id) {
        long estimate = add(id);
        Long known = candidates.get(id);
        if (known != null) {
            candidates.put(id, estimate);
            return;
        }
        if (candidates.size() < capacity) {
            candidates.put(id, estimate);
            smallest = candidates.size() == 1 ? estimate : Math.min(smallest, estimate);
            return;
        }
        if (estimate > smallest) {
            // One pass finds the candidate to evict and the smallest estimate left after it.
            String evicted = null;
            long min = Long.MAX_VALUE;
            long secondMin = Long.MAX_VALUE;
            for (Map.Entry<String, Long> candidate : candidates.entrySet()) {
                long reads = candidate.getValue();
                if (reads < min) {
                    secondMin = min;
                    min = reads;
                    evicted = candidate.getKey();
                } else if (reads < secondMin) {
                    secondMin = reads;
                }
            }
            candidates.remove(evicted);
            candidates.put(id, estimate);
            smallest = Math.min(secondMin, estimate);
        }
    }

    /** @return the window's keys read at least {@code minReads} times, most read first, at most {@code k}; resets */
    public List<Hot> roll(int k, long minReads) {
        List<Hot> hot = new ArrayList<>();
        candidates.forEach((id, reads) -> {
            if (reads >= minReads) {
                hot.add(new Hot(id, reads));
            }
        });
        hot.sort(Comparator.comparingLong(Hot::reads).reversed().thenComparing(Hot::id));
        candidates.clear();
        smallest = 0;
        for (int[] row : counters) {
            java.util.Arrays.fill(row, 0);
        }
        return List.copyOf(hot.subList(0, Math.min(k, hot.size())));
    }

    private long add(String id) {
        long hash = id.hashCode() * 0x9E3779B97F4A7C15L;
        int estimate = Integer.MAX_VALUE;
        for (int row = 0; row < ROWS; row++) {
            long mixed = (hash ^ SEEDS[row]) * SEEDS[(row + 1) % ROWS];
            int index = (int) ((mixed >>> 32) & (width - 1));
            if (counters[row][index] < Integer.MAX_VALUE) {
                counters[row][index]++;
            }
            estimate = Math.min(estimate, counters[row][index]);
        }
        return estimate;
    }
}

package io.meridian.gateway.hotkeys;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One read counted by the hot-key sketch ({@link TopKeys#record}), which every gateway read pays. {@link TopKeys} is
 * package-private, hence this package. It is sized as {@link HotKeys} sizes it for the default {@code top} of 20, and
 * fed ids shaped as {@link HotKeys} builds them ({@code namespace\0key\0home}) whose keys follow a Zipf law (exponent
 * 1) over 100,000 keys, so that the candidate table sees both its hot keys and a long tail that tries to enter it.
 * Each measurement iteration starts a new window, as the gateway rolls one every few seconds. The ids are built in
 * advance, so their hash codes are cached; building the id, which {@link HotKeys#read} does per read, is left out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopKeysBenchmark {

    private static final int KEYS = 100_000;
    /** Ids drawn in advance, a power of two so that the next one is a mask away. */
    private static final int DRAWS = 1 << 16;

    private final TopKeys sketch = new TopKeys(4 * 20, 1 << 14);
    private final String[] ids = zipfIds(new Random(11));
    private int next;

    @Setup(Level.Iteration)
    public void newWindow() {
        sketch.roll(20, 100);
    }

    @Benchmark
    public void record() {
        sketch.record(ids[next++ & (DRAWS - 1)]);
    }

    private static String[] zipfIds(Random random) {
        double[] cumulative = new double[KEYS];
        double total = 0;
        for (int rank = 0; rank < KEYS; rank++) {
            total += 1.0 / (rank + 1);
            cumulative[rank] = total;
        }
        String[] ids = new String[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            int found = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            int rank = found >= 0 ? found : -found - 1;
            ids[i] = "tweets\u0000t" + rank + "\u0000us-east";
        }
        return ids;
    }
}

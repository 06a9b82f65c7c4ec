package io.meridian.infra.jmh;

import java.util.Locale;

/**
 * What a near cache filled with {@code entries} values of {@code valueBytes} costs in heap, as measured after a full
 * GC, and how many of the entries it still held. Travels from the measuring child JVM to the runner as one line of
 * text ({@link #line()}, {@link #parse}).
 *
 * @param baselineBytes heap used after GC with the near cache started and empty
 * @param heapUsedBytes heap used after GC with the near cache filled
 * @param heapMaxBytes the heap's limit ({@code -Xmx})
 */
public record NearCacheFootprint(
        int entries, int valueBytes, long present, long baselineBytes, long heapUsedBytes, long heapMaxBytes) {

    static final String PREFIX = "near-cache-footprint";

    private static final double MIB = 1024.0 * 1024.0;

    /** @return heap the entries take, per entry: keys, values and the cache's own structures */
    public long bytesPerEntry() {
        return (heapUsedBytes - baselineBytes) / entries;
    }

    /** @return the figures in one sentence, for the console and {@code docs/benchmarks.md} */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "Near cache: %,d entries of %,d-byte values in a %.0f MiB heap: %,d still held,"
                        + " %.1f MiB of heap used after GC (%.1f MiB with the cache empty), %,d bytes per entry.",
                entries,
                valueBytes,
                heapMaxBytes / MIB,
                present,
                heapUsedBytes / MIB,
                baselineBytes / MIB,
                bytesPerEntry());
    }

    String line() {
        return PREFIX + " " + entries + " " + valueBytes + " " + present + " " + baselineBytes + " " + heapUsedBytes
                + " " + heapMaxBytes;
    }

    static NearCacheFootprint parse(String line) {
        String[] fields = line.trim().split(" ");
        if (fields.length != 7 || !fields[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a near cache footprint: " + line);
        }
        return new NearCacheFootprint(
                Integer.parseInt(fields[1]),
                Integer.parseInt(fields[2]),
                Long.parseLong(fields[3]),
                Long.parseLong(fields[4]),
                Long.parseLong(fields[5]),
                Long.parseLong(fields[6]));
    }
}

package io.meridian.infra.jmh;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.nearcache.ServingNearCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a 1 GiB heap holds a near cache of 100,000 entries of 1 KiB: fills a real, serving {@code NearCache}
 * configured for 100,000 entries, forces a GC and reads the heap used. The runner measures in a child JVM with
 * {@code -Xmx1g} ({@link #inChildJvm()}) so that neither its own heap nor its limit blur the figure.
 */
public final class NearCacheMemory {

    /** Entries the issue asks a 1 GiB heap to hold. */
    public static final int ENTRIES = 100_000;

    /** Bytes of each value. */
    public static final int VALUE_BYTES = 1024;

    /** The heap the check runs in. */
    static final String HEAP = "-Xmx1g";

    /**
     * Options of the JVMs that run gateway code, the check's and JMH's forks: the heap, and the gateway's log manager
     * (which otherwise complains that {@code java.util.logging} started without it).
     */
    static final List<String> JVM_OPTIONS =
            List.of(HEAP, "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

    private NearCacheMemory() {}

    /** Measures in this JVM and prints the footprint's line, for {@link #inChildJvm()}. */
    public static void main(String[] args) {
        System.out.println(measure().line());
    }

    /** Fills a near cache of {@link #ENTRIES} entries of {@link #VALUE_BYTES} in this JVM and measures its heap. */
    public static NearCacheFootprint measure() {
        // Every entry's value is decoded from Redis bytes as a read would: its own body and content type.
        byte[] stored = StoredValue.value(new Version(1L << 40, 1), "application/json", new byte[VALUE_BYTES])
                .encode();
        try (ServingNearCache cache = ServingNearCache.start(ENTRIES)) {
            long baseline = usedAfterGc();
            for (int i = 0; i < ENTRIES; i++) {
                cache.put("t" + i, StoredValue.decode(stored));
            }
            long used = usedAfterGc();
            long present = 0;
            for (int i = 0; i < ENTRIES; i++) {
                if (cache.get("t" + i).isPresent()) {
                    present++;
                }
            }
            return new NearCacheFootprint(
                    ENTRIES,
                    VALUE_BYTES,
                    present,
                    baseline,
                    used,
                    Runtime.getRuntime().maxMemory());
        }
    }

    /** Runs {@link #main} in a child JVM with a 1 GiB heap and this JVM's class path. */
    public static NearCacheFootprint inChildJvm() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NearCacheMemory.class.getName()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            return output.lines()
                    .filter(line -> line.startsWith(NearCacheFootprint.PREFIX))
                    .findFirst()
                    .map(NearCacheFootprint::parse)
                    .orElseThrow(() -> new IllegalStateException(
                            "the near cache memory check (exit " + exit + ") printed no footprint:\n" + output));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the near cache memory check", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the near cache memory check", e);
        }
    }

    /** Heap used after full collections; several, since one may leave garbage that a finalisation step freed. */
    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

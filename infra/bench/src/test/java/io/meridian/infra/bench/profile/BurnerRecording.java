package io.meridian.infra.bench.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A real JFR recording of three threads with recognisable work, made once per test JVM and shared: {@value #BURNER}
 * computes primes in {@link #burnPrimes(int)}, {@value #HASHER} hashes in {@link #hashBytes(int)}, and {@value #ALLOCATOR}
 * allocates {@code long[]} in {@link #allocateBuffers(int)}. CPU is sampled every millisecond.
 *
 * <p>Sampling gives no exact counts, so the recording runs until each thread has enough samples to say where it spent
 * its time, checked on dumps of the running recording, and at most {@link #LIMIT}.
 */
final class BurnerRecording {

    static final String BURNER = "flame-burner";
    static final String HASHER = "flame-hasher";
    static final String ALLOCATOR = "flame-allocator";

    static final String BURN_PRIMES = BurnerRecording.class.getName() + ".burnPrimes";
    static final String HASH_BYTES = BurnerRecording.class.getName() + ".hashBytes";
    static final String ALLOCATE_BUFFERS = BurnerRecording.class.getName() + ".allocateBuffers";

    private static final int ENOUGH_CPU_SAMPLES = 20;
    private static final int ENOUGH_ALLOCATION_SAMPLES = 10;
    private static final Duration LIMIT = Duration.ofSeconds(5);

    /** Where results go so that the JIT cannot drop the work. */
    static volatile Object sink;

    private static volatile boolean stopped;
    private static Path file;

    private BurnerRecording() {}

    /** @return the recording, made on first use */
    static synchronized Path file() {
        if (file == null) {
            try {
                file = record();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return file;
    }

    private static Path record() throws IOException, InterruptedException {
        Path path = Files.createTempFile("flame-burner", ".jfr");
        path.toFile().deleteOnExit();
        List<Thread> threads = List.of(
                new Thread(() -> repeat(BurnerRecording::burnPrimes), BURNER),
                new Thread(() -> repeat(BurnerRecording::hashBytes), HASHER),
                new Thread(() -> repeat(BurnerRecording::allocateBuffers), ALLOCATOR));
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            recording.start();
            threads.forEach(Thread::start);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            do {
                Thread.sleep(200);
                recording.dump(path);
            } while (!enough(path) && System.nanoTime() < deadline);
            stopped = true;
            for (Thread thread : threads) {
                thread.join();
            }
            recording.stop();
            recording.dump(path);
        }
        return path;
    }

    private static boolean enough(Path path) throws IOException {
        Map<String, Long> samples = RecordingFile.readAllEvents(path).stream()
                .collect(Collectors.groupingBy(BurnerRecording::key, Collectors.counting()));
        return samples.getOrDefault("jdk.ExecutionSample " + BURNER, 0L) >= ENOUGH_CPU_SAMPLES
                && samples.getOrDefault("jdk.ExecutionSample " + HASHER, 0L) >= ENOUGH_CPU_SAMPLES
                && samples.getOrDefault("jdk.ObjectAllocationSample " + ALLOCATOR, 0L) >= ENOUGH_ALLOCATION_SAMPLES;
    }

    private static String key(RecordedEvent event) {
        String type = event.getEventType().getName();
        return switch (type) {
            case "jdk.ExecutionSample" ->
                type + " " + event.getThread("sampledThread").getJavaName();
            case "jdk.ObjectAllocationSample" -> type + " " + event.getThread().getJavaName();
            default -> type;
        };
    }

    private static void repeat(Function<Integer, Object> work) {
        while (!stopped) {
            sink = work.apply(20_000);
        }
    }

    /** @return how many of the numbers below {@code limit} are prime, by trial division: a millisecond or so of CPU */
    static Object burnPrimes(int limit) {
        int primes = 0;
        for (int n = 2; n < limit; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n && prime; d++) {
                prime = n % d != 0;
            }
            primes += prime ? 1 : 0;
        }
        return primes;
    }

    static Object hashBytes(int rounds) {
        long hash = 1125899906842597L;
        for (int i = 0; i < rounds * 20; i++) {
            hash = 31 * hash + (hash >>> 7) ^ i;
        }
        return hash;
    }

    static Object allocateBuffers(int count) {
        Object last = null;
        for (int i = 0; i < count / 100; i++) {
            last = new long[128];
            sink = last;
        }
        return last;
    }
}

package io.meridian.infra.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The values benchmarks write: printable, fixed for a size, so runs are comparable. */
final class BenchValues {

    private BenchValues() {}

    /** {@code length} lower-case letters from a fixed seed. */
    static String text(int length) {
        Random random = new Random(42);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(26));
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.redis.StoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to each key, for replaying a failing seed. Off in the many-seed runs (formatting every step would
 * dominate their time); callers check {@link #enabled()} before building a line.
 */
final class Trace {

    private final boolean enabled;
    private final long startMillis;
    private final Map<String, List<String>> byKey = new TreeMap<>();

    Trace(boolean enabled, long startMillis) {
        this.enabled = enabled;
        this.startMillis = startMillis;
    }

    boolean enabled() {
        return enabled;
    }

    void log(String key, long atMillis, String format, Object... args) {
        if (enabled) {
            String line = String.format("%8d ms  ", atMillis - startMillis) + String.format(format, args);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
    }

    /** @return a stored value as a trace line shows it: the value's text and version, a tombstone, or nothing */
    static String describe(StoredValue value) {
        if (value == null) {
            return "nothing";
        }
        if (value.tombstone()) {
            return "tombstone " + value.version();
        }
        return "'" + new String(value.body(), StandardCharsets.UTF_8) + "' " + value.version();
    }

    /** @return the key's history, one line per step, or a hint when tracing was off */
    String of(String key) {
        if (!enabled) {
            return "(trace off: replay the seed to see the history of " + key + ")";
        }
        return String.join(System.lineSeparator(), byKey.getOrDefault(key, List.of()));
    }
}

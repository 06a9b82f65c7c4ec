package io.meridian.coherence.simulation;

import java.util.HashMap;
import java.util.Map;

/**
 * Links between regions, cut by symmetric partitions that heal after a while. A cut link carries nothing: no forwarded
 * write, no fill, no replicated event (a region's own log is always reachable). After a link heals it stays up for
 * at least {@code restMillis}, so an event held back by one partition is delivered before the next one starts; that
 * keeps the longest delivery delay bounded (see {@link SimulationConfig.Faults#maxDeliveryGapMillis()}).
 */
final class Network {

    private final Scheduler time;
    private final long restMillis;
    private final Map<String, Long> healsAt = new HashMap<>();
    private int partitions;

    Network(Scheduler time, long restMillis) {
        this.time = time;
        this.restMillis = restMillis;
    }

    boolean connected(Region a, Region b) {
        return a == b || time.now() >= healTime(a, b);
    }

    /** @return when the link heals (or healed) */
    long healTime(Region a, Region b) {
        return healsAt.getOrDefault(link(a, b), Long.MIN_VALUE);
    }

    /** Cuts the link for {@code durationMillis} unless it is cut or still resting. @return true when cut */
    boolean cut(Region a, Region b, long durationMillis) {
        if (a == b || time.now() < healTime(a, b) + restMillis) {
            return false;
        }
        healsAt.put(link(a, b), time.now() + durationMillis);
        partitions++;
        return true;
    }

    /** Heals every link now. */
    void healAll() {
        healsAt.replaceAll((link, heal) -> Math.min(heal, time.now()));
    }

    int partitions() {
        return partitions;
    }

    private static String link(Region a, Region b) {
        return a.index < b.index ? a.name + "|" + b.name : b.name + "|" + a.name;
    }
}

package io.meridian.coherence.simulation;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a home region's event log the way a home does: one HLC over a wall clock that steps forwards and backwards,
 * so versions grow in log order while their wall times wander. For the apply-rule tests.
 */
final class HomeLog {

    /** What a step of the home does. */
    enum Kind {
        WRITE,
        /** A write whose value was over the event size limit: replicas store a tombstone and fill later. */
        WRITE_WITHOUT_VALUE,
        DELETE
    }

    /**
     * @param clockStepMillis how far the home's wall clock moves before this step (may be negative)
     * @param ttlMillis the write's TTL from its version's wall time; small or negative ones are expired when applied
     */
    record Step(int clockStepMillis, String key, Kind kind, long ttlMillis) {}

    private HomeLog() {}

    static List<CacheEvent> build(long startMillis, int origin, List<Step> steps) {
        AtomicLong wall = new AtomicLong(startMillis);
        HybridLogicalClock hlc = new HybridLogicalClock(wall::get);
        List<CacheEvent> log = new ArrayList<>();
        for (Step step : steps) {
            wall.addAndGet(step.clockStepMillis());
            Version version = new Version(hlc.now(), origin);
            log.add(event(step, version, log.size()));
        }
        return log;
    }

    private static CacheEvent event(Step step, Version version, int offset) {
        if (step.kind() == Kind.DELETE) {
            return new CacheEvent.Delete(Gateways.NAMESPACE, step.key(), version);
        }
        byte[] value = step.kind() == Kind.WRITE ? ("v" + offset).getBytes(StandardCharsets.UTF_8) : null;
        long expiresAt = version.wallMillis() + step.ttlMillis();
        return new CacheEvent.Write(Gateways.NAMESPACE, step.key(), version, expiresAt, "text/plain", value);
    }
}

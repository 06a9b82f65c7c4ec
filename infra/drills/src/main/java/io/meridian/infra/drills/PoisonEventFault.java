package io.meridian.infra.drills;

import io.meridian.infra.cluster.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Produces a record that is no Meridian event into one region's event topic. Every region must dead-letter it with
 * a reason and keep applying the log; detection is the time until the last region has dead-lettered it, from the
 * record timestamps in the log.
 */
final class PoisonEventFault implements DrillFault {

    private final DrillCluster cluster;
    private final String region;
    private final DeadLetters deadLetters;
    private final String key;
    private Long detected;

    PoisonEventFault(DrillCluster cluster, String region, long seed) {
        this.cluster = cluster;
        this.region = region;
        this.deadLetters = new DeadLetters(cluster.description().kafka());
        this.key = "poison/" + seed + "/" + System.nanoTime();
    }

    @Override
    public String description() {
        return "a malformed record in one region's event topic: every region dead-letters it and goes on (region "
                + region + ")";
    }

    @Override
    public void inject(List<String> violations) throws InterruptedException {
        long injected = deadLetters.produce(
                "meridian." + region + ".events", key, "not a Meridian event".getBytes(StandardCharsets.UTF_8));
        // Detected once every region has dead-lettered it (the workload goes on meanwhile). The figure runs from the
        // poison record's timestamp in the log to the last region's dead letter's, so neither starting the producer
        // nor the polling below counts.
        long deadline = injected + DrillRun.CONVERGENCE_BOUND.toMillis();
        List<String> missing = new ArrayList<>(cluster.names());
        long lastDeadLettered = injected;
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
            for (Iterator<String> regions = missing.iterator(); regions.hasNext(); ) {
                Optional<DeadLetters.Letter> letter = deadLetters.list(regions.next()).stream()
                        .filter(this::isOurs)
                        .findFirst();
                if (letter.isPresent()) {
                    regions.remove();
                    lastDeadLettered = Math.max(lastDeadLettered, letter.get().timestamp());
                }
            }
            if (!missing.isEmpty()) {
                Thread.sleep(500);
            }
        }
        if (missing.isEmpty()) {
            detected = lastDeadLettered - injected;
        } else {
            violations.add("the poison record never reached the dead letters of " + missing);
        }
    }

    private boolean isOurs(DeadLetters.Letter letter) {
        return letter.key() != null
                && new String(letter.key(), StandardCharsets.UTF_8).equals(key)
                && letter.reason() != null;
    }

    @Override
    public void heal(List<String> violations) {
        // Nothing to heal: the replicators went on by themselves.
    }

    @Override
    public String detects() {
        return "poison record in the log to the last region's dead letter";
    }

    @Override
    public Long detectedMillis() {
        return detected;
    }

    @Override
    public boolean recoversFromInjection() {
        return true;
    }

    @Override
    public boolean mustShowInStatus() {
        return false;
    }
}

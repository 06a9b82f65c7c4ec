package io.meridian.infra.drills;

import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.RegionHandover;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * A planned move of one region's keys and back, as an operator makes it: {@code ./meridian region drain} at the
 * injection, {@code ./meridian region failback} at the heal, under the drill's workload. Detection is how long the
 * drain took (writes of the region's keys were paused meanwhile).
 */
final class PlannedFailoverFault implements DrillFault {

    private final FailoverProbe probe;
    private final String region;
    private final RegionHandover handover;
    private Long drained;

    PlannedFailoverFault(DrillCluster cluster, String region, long seed) {
        this.probe = new FailoverProbe(cluster, DrillWorkload.NAMESPACE, region);
        this.region = region;
        this.handover = new RegionHandover(
                cluster.gateways(),
                new PrintWriter(new StringWriter()),
                cluster.description().kafka());
    }

    @Override
    public String description() {
        return "./meridian region drain " + region + ", later failback: its keys move to their next regions and back";
    }

    @Override
    public void inject(List<String> violations) throws InterruptedException {
        try {
            drained = handover.drain(region).tookMillis();
            probe.start(System.currentTimeMillis());
        } catch (ClusterException e) {
            violations.add("the drain failed: " + e.getMessage());
        }
    }

    @Override
    public void heal(List<String> violations) throws InterruptedException {
        probe.stop();
        if (drained != null) {
            probe.violation("after the drain").ifPresent(violations::add);
        }
        try {
            handover.failback(region);
        } catch (ClusterException e) {
            violations.add("the failback failed: " + e.getMessage());
        }
    }

    @Override
    public String detects() {
        return "drain started to the target caught up";
    }

    @Override
    public Long detectedMillis() {
        return drained;
    }

    @Override
    public boolean mustShowInStatus() {
        return false;
    }
}

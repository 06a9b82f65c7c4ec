package io.meridian.infra.drills;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.RegionHandover;
import io.meridian.infra.links.LinksControl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * A home that comes back into a world that moved on: the seeded region's gateway is killed, {@code ./meridian region
 * failover} moves its keys to their next regions at once (it does not answer, so the move is recorded in its control
 * topic), the workload writes them there, and the links between the region and one of its successors are cut.
 * Halfway through, the region's gateway is started again while still cut off: it must learn of the failover from its
 * control topic and forward its keys' writes rather than take them back, and must not answer them from its stale
 * copy. At the heal the links come back and {@code ./meridian region failback} returns the keys once every region
 * has caught up.
 */
final class ReturningHomeFault implements DrillFault {

    private final DrillCluster cluster;
    private final LinksControl links;
    private final String region;
    private final String successor;
    private final RegionHandover handover;
    private Long movedAfter;

    ReturningHomeFault(DrillCluster cluster, String region, long seed) {
        this.cluster = cluster;
        this.links = PartitionFault.wholeLinks(cluster);
        this.region = region;
        this.successor = PartitionFault.peerOf(cluster, region, seed);
        this.handover = new RegionHandover(
                cluster.gateways(),
                new PrintWriter(new StringWriter()),
                cluster.description().kafka());
    }

    @Override
    public String description() {
        return "kill " + region + "'s gateway, ./meridian region failover " + region + ", cut " + region + " from "
                + successor + ", start " + region + "'s gateway again while cut off; heal and fail back";
    }

    @Override
    public String victim() {
        return region;
    }

    @Override
    public void inject(List<String> violations) throws InterruptedException {
        long started = System.currentTimeMillis();
        cluster.kill(region, AppKind.GATEWAY);
        try {
            handover.failover(region);
            movedAfter = System.currentTimeMillis() - started;
        } catch (ClusterException e) {
            violations.add("the failover failed: " + e.getMessage());
        }
        links.cut(region, successor);
        links.cut(successor, region);
        cluster.restart(region, AppKind.GATEWAY);
    }

    @Override
    public void heal(List<String> violations) throws InterruptedException {
        links.heal(region, successor);
        links.heal(successor, region);
        try {
            handover.failback(region);
        } catch (ClusterException e) {
            violations.add("the failback failed: " + e.getMessage());
        }
    }

    @Override
    public String detects() {
        return "kill to the failover recorded and applied by the other regions";
    }

    @Override
    public Long detectedMillis() {
        return movedAfter;
    }

    @Override
    public boolean mustShowInStatus() {
        return false;
    }
}

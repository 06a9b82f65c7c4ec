package io.meridian.infra.drills;

import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.links.LinksControl;
import java.util.List;
import java.util.Random;

/**
 * Cuts the region links both ways between the seeded region and a second one chosen by the seed (each one's gateway
 * calls to the other, and each one's reading of the other's events), and heals them. Both sides go on serving what
 * they can alone; a third region still reaches both.
 */
final class PartitionFault implements DrillFault {

    private final LinksControl links;
    private final String region;
    private final String peer;

    PartitionFault(DrillCluster cluster, String region, long seed) {
        this.links = wholeLinks(cluster);
        this.region = region;
        this.peer = peerOf(cluster, region, seed);
    }

    /** The cluster's region links, every one healed (a drill stopped halfway may have left a link cut). */
    static LinksControl wholeLinks(DrillCluster cluster) {
        String control = cluster.description().links();
        if (control == null) {
            throw new ClusterException("the running cluster has no region links (one region, or started by an older"
                    + " launcher): restart it with ./meridian down and ./meridian up -d");
        }
        LinksControl links = new LinksControl(control);
        links.healAll();
        return links;
    }

    /** Another region than {@code region}, chosen by the seed. */
    static String peerOf(DrillCluster cluster, String region, long seed) {
        List<String> others =
                cluster.names().stream().filter(name -> !name.equals(region)).toList();
        return others.get(new Random(seed).nextInt(others.size()));
    }

    @Override
    public String description() {
        return "cut the network both ways between " + region + " and " + peer + ", heal it: each side goes on, both"
                + " catch up";
    }

    @Override
    public void inject(List<String> violations) {
        links.cut(region, peer);
        links.cut(peer, region);
    }

    @Override
    public void heal(List<String> violations) {
        links.heal(region, peer);
        links.heal(peer, region);
    }
}

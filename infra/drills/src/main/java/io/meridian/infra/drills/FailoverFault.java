package io.meridian.infra.drills;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.LocalNamespaces;
import java.util.List;

/**
 * A region outage in a namespace whose writes fail over ({@code presence}): the region's gateway and replicator are
 * killed; while it is down, a probe writes one of its keys through another region until the key's next region
 * acknowledges it (after the failover delay); at the restart the keys go back, and the common checks hold throughout.
 */
final class FailoverFault implements DrillFault {

    private final ProcessFault outage;
    private final FailoverProbe probe;
    private final String region;

    FailoverFault(DrillCluster cluster, String region, String description) {
        this.region = region;
        this.probe = new FailoverProbe(cluster, LocalNamespaces.FAILOVER, region);
        this.outage = new ProcessFault(cluster, region, List.of(AppKind.GATEWAY, AppKind.REPLICATOR), description);
    }

    @Override
    public String description() {
        return outage.description();
    }

    @Override
    public String victim() {
        return region;
    }

    @Override
    public String namespace() {
        return LocalNamespaces.FAILOVER;
    }

    @Override
    public void inject(List<String> violations) {
        long killed = System.currentTimeMillis();
        outage.inject(violations);
        probe.start(killed);
    }

    @Override
    public void heal(List<String> violations) throws InterruptedException {
        probe.stop();
        probe.violation("while it was down").ifPresent(violations::add);
        outage.heal(violations);
    }

    @Override
    public List<String[]> figures() {
        Long moved = probe.movedAfterMillis();
        return List.<String[]>of(new String[] {
            "a dead region's key written elsewhere after (s, kill to the first write acknowledged by "
                    + (probe.movedTo() == null ? "another region" : probe.movedTo()) + ")",
            moved == null ? "-" : DrillReport.seconds(moved)
        });
    }
}

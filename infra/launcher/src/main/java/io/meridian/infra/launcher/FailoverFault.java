package io.meridian.infra.launcher;

import java.util.List;

/**
 * A region outage in a namespace whose writes fail over ({@code presence}): the region's gateway and replicator are
 * killed; once the failover delay has passed, writes of its keys sent to the other regions must be acknowledged (the
 * next region took them); at the restart the keys go back, and the common checks hold throughout.
 */
final class FailoverFault implements DrillFault {

    /** The failover delay the local cluster configures for {@link AppSettings#FAILOVER_NAMESPACE}, plus slack. */
    static final long FAILOVER_AFTER_MILLIS = 2_000 + 1_500;

    private final ProcessFault outage;
    private final DrillCluster cluster;
    private final String region;

    FailoverFault(DrillCluster cluster, String region, String description) {
        this.cluster = cluster;
        this.region = region;
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
        return AppSettings.FAILOVER_NAMESPACE;
    }

    @Override
    public void inject(List<String> violations) {
        outage.inject(violations);
    }

    @Override
    public void heal(List<String> violations) {
        outage.heal(violations);
    }

    @Override
    public void check(List<DrillHistory.Op> ops, long injectAt, long healAt, List<String> violations) {
        DrillChecks.writesWentOn(ops, cluster.names(), region, injectAt + FAILOVER_AFTER_MILLIS, healAt)
                .ifPresent(violations::add);
    }
}

package io.meridian.infra.drills;

import io.meridian.infra.cluster.AppKind;
import java.util.List;

/** Kills processes of one region with SIGKILL and, at the heal, starts them again the same way. */
final class ProcessFault implements DrillFault {

    private final DrillCluster cluster;
    private final String region;
    private final List<AppKind> kinds;
    private final String description;

    ProcessFault(DrillCluster cluster, String region, List<AppKind> kinds, String description) {
        this.cluster = cluster;
        this.region = region;
        this.kinds = List.copyOf(kinds);
        this.description = description;
    }

    @Override
    public String description() {
        return description + " (region " + region + ")";
    }

    @Override
    public String victim() {
        return region;
    }

    @Override
    public void inject(List<String> violations) {
        kinds.forEach(kind -> cluster.kill(region, kind));
    }

    @Override
    public void heal(List<String> violations) {
        kinds.forEach(kind -> cluster.restart(region, kind));
    }
}

package io.meridian.infra.launcher;

import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.RegionHandover;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./meridian region drain|failover|failback <region>}: planned moves of a region's homed keys. */
@Command(
        name = "region",
        description = "Move a region's homed keys to their next regions (drain, failover) and back (failback).")
final class RegionCommand implements Callable<Integer> {

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<action>", description = "drain, failover or failback")
    String action;

    @Parameters(index = "1", paramLabel = "<region>", description = "The region whose keys move.")
    String region;

    RegionCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ClusterDescription cluster = ClusterDescription.read(workspace.clusterFile())
                .orElseThrow(() -> new ClusterException(
                        "no cluster running (no " + workspace.clusterFile() + "); start one with ./meridian up -d"));
        RegionHandover handover = new RegionHandover(cluster.gateways(), out, cluster.kafka());
        RegionHandover.Outcome outcome = switch (action) {
            case "drain" -> handover.drain(region);
            case "failover" -> handover.failover(region);
            case "failback" -> handover.failback(region);
            default -> throw new ClusterException("unknown action " + action + ": use drain, failover or failback");
        };
        out.println("REGION " + action + " " + region + " DONE took_ms=" + outcome.tookMillis() + " paused_ms="
                + outcome.pausedMillis());
        out.flush();
        return 0;
    }
}

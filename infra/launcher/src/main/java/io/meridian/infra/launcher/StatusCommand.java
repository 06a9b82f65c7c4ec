package io.meridian.infra.launcher;

import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.HttpProbe;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./meridian status}: one row per region of the running cluster. */
@Command(
        name = "status",
        description = "Show each region's gateway URL, readiness, degradation level and replication lag.")
final class StatusCommand implements Callable<Integer> {

    /** Exit code when no cluster is recorded. */
    static final int NO_CLUSTER = 1;

    private static final String[] HEADER = {"REGION", "GATEWAY", "READY", "LEVEL", "REPLICATOR", "HIT RATE", "LAG"};

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    StatusCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<ClusterDescription> cluster = ClusterDescription.read(workspace.clusterFile());
        if (cluster.isEmpty()) {
            out.println("no cluster running (no " + workspace.clusterFile() + "); start one with ./meridian up -d");
            out.flush();
            return NO_CLUSTER;
        }
        HttpProbe probe = new HttpProbe();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ClusterDescription.Region region : cluster.get().regions()) {
            RegionStatus status = RegionStatus.probe(probe, region);
            rows.add(new String[] {
                status.name(),
                status.gateway(),
                status.readiness(),
                status.level(),
                status.replicator(),
                status.hitRate(),
                status.lag()
            });
        }
        printTable(out, rows);
        out.println("kafka " + cluster.get().kafka());
        out.flush();
        return 0;
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}

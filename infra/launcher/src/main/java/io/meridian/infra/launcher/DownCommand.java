package io.meridian.infra.launcher;

import io.meridian.infra.cluster.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./meridian down}: stops everything {@code up} recorded; see {@link ClusterTeardown}. */
@Command(name = "down", description = "Stop every process the running cluster's up started.")
final class DownCommand implements Callable<Integer> {

    private final Workspace workspace;

    @Spec
    CommandSpec spec;

    DownCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        boolean clean = new ClusterTeardown(workspace, spec.commandLine().getOut()).run();
        spec.commandLine().getOut().flush();
        return clean ? 0 : 1;
    }
}

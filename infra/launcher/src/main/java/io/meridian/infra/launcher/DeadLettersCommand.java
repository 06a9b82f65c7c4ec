package io.meridian.infra.launcher;

import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.DeadLetters;
import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meridian deadletters list|replay [--region R]}: the events the running cluster's replicators could not
 * apply, with their reason and source; {@code replay} sends those that decode now back to their source topic.
 */
@Command(name = "deadletters", description = "List or replay the replicators' dead letters.")
final class DeadLettersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "list|replay",
            description = "list (default) or replay",
            defaultValue = "list")
    String action;

    @Option(names = "--region", description = "Only this region's dead letters (default: every region).")
    String region;

    private final Workspace workspace;

    DeadLettersCommand(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!action.equals("list") && !action.equals("replay")) {
            spec.commandLine().getErr().println("deadletters takes list or replay, not " + action);
            return 2;
        }
        ClusterDescription cluster = ClusterDescription.read(workspace.clusterFile())
                .orElseThrow(() -> new ClusterException("no cluster is running: start one with ./meridian up -d"));
        DeadLetters letters = new DeadLetters(cluster.kafka());
        List<String> regions = region != null
                ? List.of(region)
                : cluster.regions().stream()
                        .map(ClusterDescription.Region::name)
                        .toList();
        for (String name : regions) {
            if (action.equals("list")) {
                List<DeadLetters.Letter> found = letters.list(name);
                out.println(DeadLetters.topicOf(name) + ": " + found.size() + " dead letter(s)");
                found.forEach(letter -> out.println("  " + letter.describe()));
            } else {
                Map<Boolean, List<DeadLetters.Letter>> outcome = letters.replay(name);
                out.println(DeadLetters.topicOf(name) + ": replayed "
                        + outcome.get(true).size() + ", skipped "
                        + outcome.get(false).size() + " (still not decodable)");
                outcome.get(true).forEach(letter -> out.println("  replayed " + letter.describe()));
            }
        }
        out.flush();
        return 0;
    }
}

package io.meridian.infra.launcher;

import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.servers.ServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ./meridian} command line. Its syntax is part of CONTRACT.md: {@code up}, {@code status}, {@code down},
 * {@code drill}, {@code bench}. Failures the user can act on (a build missing, a port taken, an app that did not get
 * ready) print their message, not a stack trace, and exit non-zero.
 */
@Command(
        name = "meridian",
        mixinStandardHelpOptions = true,
        version = "meridian 0.1.0",
        description = "Run Meridian on this machine: Kafka, and per region Redis, gateway and replicator.")
public final class MeridianCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command: up, status, down, drill, bench, deadletters");
    }

    /** The command line bound to {@code workspace}; tests run it in-process with a temporary home. */
    public static CommandLine commandLine(Workspace workspace) {
        CommandLine cli = new CommandLine(new MeridianCli());
        cli.addSubcommand("up", new UpCommand(workspace));
        cli.addSubcommand("status", new StatusCommand(workspace));
        cli.addSubcommand("down", new DownCommand(workspace));
        cli.addSubcommand("drill", new DrillCommand(workspace));
        cli.addSubcommand("bench", new BenchCommand(workspace));
        cli.addSubcommand("deadletters", new DeadLettersCommand(workspace));
        cli.addSubcommand("region", new RegionCommand(workspace));
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ClusterException || e instanceof ServerException) {
                commandLine.getErr().println("[meridian] " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        Workspace workspace;
        try {
            workspace = Workspace.fromEnvironment();
        } catch (ServerException e) {
            System.err.println("[meridian] " + e.getMessage());
            System.exit(1);
            return;
        }
        System.exit(commandLine(workspace).execute(args));
    }
}

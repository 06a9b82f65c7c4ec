package io.meridian.infra.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meridian drill <name> [--seed N]}: failover drills. None exists yet; the command is here so that its
 * syntax is the contract's from the first release and an unknown name answers like it always will.
 */
@Command(name = "drill", description = "Run a failover drill against a running cluster (or start one).")
final class DrillCommand implements Callable<Integer> {

    /** Exit code for an unknown drill. */
    static final int UNKNOWN = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<name>", description = "The drill to run.")
    String name;

    @Option(names = "--seed", description = "Seed of the drill's random choices, to replay a run.")
    Long seed;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("no drill named " + name + "; available: (none yet)");
        return UNKNOWN;
    }
}

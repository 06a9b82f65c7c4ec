package io.meridian.infra.launcher;

import io.meridian.infra.cluster.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the {@code meridian} command line, with everything it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Workspace workspace, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MeridianCli.commandLine(workspace);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Both streams, for assertion messages. */
    String output() {
        return out + err;
    }
}

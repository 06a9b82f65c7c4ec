package io.meridian.infra.bench;

import io.meridian.infra.cluster.MachineDescription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code docs/benchmarks.md}: measured numbers with the command that produced them, newest last. Sections are only
 * ever appended, so earlier measurements stay comparable with later ones.
 */
public final class BenchmarkLog {

    static final String HEADER = "# Benchmarks\n\n"
            + "Measured numbers, appended by `./meridian bench <name> --record`. Each section names the command, the"
            + " machine and the date; compare runs only on the same machine class. Each run puts load on the JVMs"
            + " for a warm-up (named in its setup) before it measures; on a small machine their JIT compilers can"
            + " need minutes of load to settle, so a longer warm-up can give quite different figures.\n";

    private BenchmarkLog() {}

    /**
     * The opening of a section: its heading (the benchmark and the date), the command and the machine, each
     * benchmark's setup line following.
     */
    public static String sectionHeader(MachineDescription machine, String benchmark, String command) {
        return "\n## bench " + benchmark + ", " + machine.date() + "\n\n"
                + "- Command: `" + command + "`\n"
                + "- Machine: " + machine.cores() + " cores, " + machine.os() + ", " + machine.java() + "\n";
    }

    /** Appends {@code section}, creating the file with its header first if needed. */
    public static void append(Path file, String section) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER);
            }
            Files.writeString(file, section, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}

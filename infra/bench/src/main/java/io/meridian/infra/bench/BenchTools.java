package io.meridian.infra.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs a benchmark runs beside the cluster ({@code wrk}, {@code webdis}, {@code redis-benchmark}), found on the
 * PATH or installed from the machine's Debian packages when missing and the bench runs as root with {@code apt-get}.
 */
final class BenchTools {

    private BenchTools() {}

    /**
     * @return the program's path, installing {@code debianPackage} first when it is missing
     * @throws IllegalStateException when it is missing and cannot be installed; the message says how to install it
     */
    static Path require(String program, String debianPackage, PrintWriter out) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        if (find("apt-get").isPresent() && isRoot()) {
            out.println("[bench] " + program + " is missing; installing the Debian package " + debianPackage + "...");
            out.flush();
            run(List.of("apt-get", "install", "-y", "-q", debianPackage));
            found = find(program);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException(
                program + " is needed and was not found on the PATH; install it (Debian: apt-get" + " install "
                        + debianPackage + ") and run the bench again");
    }

    /** @return the program on the PATH, if any */
    static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 10 minutes");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.meridian.infra.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * The machine a benchmark or a drill ran on, recorded next to its figures ({@code docs/benchmarks.md}, the drill record
 * in {@code docs/runbook.md}): numbers without cores, JVM and date cannot be compared with anything.
 *
 * @param java the first line of {@code java -version} of the JVM running the launcher (the apps use the same one)
 */
public record MachineDescription(int cores, String os, String java, String date) {

    public static MachineDescription current() {
        return new MachineDescription(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                javaVersion(),
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
    }

    private static String javaVersion() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(java, "-version")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return output.lines().findFirst().orElse("unknown").strip();
        } catch (IOException e) {
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("java.version");
        }
    }

    @Override
    public String toString() {
        return cores + " cores, " + os + ", " + java + ", " + date;
    }
}

package io.meridian.infra.cluster;

import io.meridian.infra.servers.ChildProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One region's gateway or replicator: a Quarkus fast-jar in a child JVM configured by the file {@link AppSettings}
 * wrote. Heaps are small (256 MB, serial GC) because a laptop runs seven of these JVMs next to Kafka.
 */
public final class QuarkusApp {

    private final String region;
    private final AppKind kind;
    private final String baseUrl;
    private final ChildProcess process;

    private QuarkusApp(String region, AppKind kind, String baseUrl, ChildProcess process) {
        this.region = region;
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.process = process;
    }

    public static QuarkusApp start(
            String region, AppKind kind, String baseUrl, Path jar, Path configFile, Path workDir, Path logFile) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dquarkus.config.locations=" + configFile.toUri(),
                // Output goes to a file: escape codes would only clutter it.
                "-Dquarkus.console.color=false",
                "-jar",
                jar.toString());
        ChildProcess process = ChildProcess.start(name(region, kind), command, workDir, logFile, Map.of());
        return new QuarkusApp(region, kind, baseUrl, process);
    }

    public static String name(String region, AppKind kind) {
        return region + " " + kind.id();
    }

    public String name() {
        return name(region, kind);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ChildProcess process() {
        return process;
    }
}

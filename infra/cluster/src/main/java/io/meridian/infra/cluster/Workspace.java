package io.meridian.infra.cluster;

import io.meridian.infra.servers.RepositoryRoot;
import java.nio.file.Path;

/**
 * Where the launcher finds what it runs and keeps what it started.
 *
 * @param root the checkout: the folder holding {@code meridian} and {@code mvnw}, where the app jars are built
 * @param home the state folder, {@code <root>/.meridian} unless env {@code MERIDIAN_HOME} says otherwise (tests run
 *     their clusters in a temporary home so they never meet a developer's running cluster)
 */
public record Workspace(Path root, Path home) {

    public Workspace {
        root = root.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
    }

    /** The workspace the {@code ./meridian} script runs in. */
    public static Workspace fromEnvironment() {
        Path root = RepositoryRoot.require();
        String home = System.getenv("MERIDIAN_HOME");
        return new Workspace(root, home == null || home.isBlank() ? root.resolve(".meridian") : Path.of(home));
    }

    /** {@code .meridian/cluster.json}: the contract users and checks read while a cluster is up. */
    public Path clusterFile() {
        return home.resolve("cluster.json");
    }

    /** {@code .meridian/pids.json}: every process {@code up} started, for {@code down}. */
    public Path processFile() {
        return home.resolve("pids.json");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    public Path regionDir(String region) {
        return home.resolve("regions").resolve(region);
    }

    public Path kafkaDir() {
        return home.resolve("kafka");
    }

    public Path drillsDir() {
        return home.resolve("drills");
    }

    public Path appJar(AppKind app) {
        return root.resolve(app.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path benchmarksFile() {
        return root.resolve("docs/benchmarks.md");
    }

    /** {@code docs/runbook.md}, whose "Drill record" section {@code ./meridian drill <name> --record} appends to. */
    public Path runbookFile() {
        return root.resolve("docs/runbook.md");
    }
}

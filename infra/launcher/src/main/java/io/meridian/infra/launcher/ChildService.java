package io.meridian.infra.launcher;

import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.cluster.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The helper processes a local cluster runs next to Kafka, Redis and the region apps. Each is built by a module of its
 * own as an executable jar, whose manifest names its main class and the jars the module copies to {@code target/lib},
 * and runs as {@code java -jar <module>/target/<jar>}: its classpath stays its own (the demo origin's H2 is never on
 * the launcher's), as the region apps' do.
 */
enum ChildService {
    /** The demo origin database behind {@code users} and {@code tweets} (module {@code infra/demo-origin}). */
    DEMO_ORIGIN("demo origin", "infra/demo-origin", "meridian-demo-origin.jar"),
    /** The proxies between regions, which drills cut, delay and heal (module {@code infra/links}). */
    REGION_LINKS("region links", "infra/links", "meridian-links.jar");

    private final String title;
    private final String module;
    private final String jarName;

    ChildService(String title, String module, String jarName) {
        this.title = title;
        this.module = module;
        this.jarName = jarName;
    }

    /** The name in messages and in {@code pids.json}: {@code demo origin}, {@code region links}. */
    String title() {
        return title;
    }

    /** The executable jar the module builds, in the checkout. */
    Path jar(Workspace workspace) {
        return workspace.root().resolve(module).resolve("target").resolve(jarName);
    }

    /** Fails naming the build command when the jar has not been built. */
    void requireJar(Workspace workspace) {
        if (!Files.isRegularFile(jar(workspace))) {
            throw new ClusterException("no " + title + " jar at " + jar(workspace) + "; build it with: ./mvnw -q"
                    + " install -DskipTests -pl " + module + " -am (./meridian does this for you)");
        }
    }
}

package io.meridian.infra.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.servers.RepositoryRoot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the launcher finds the demo origin's and the region links' jars, and what stays off its own classpath. */
class ChildServiceTest {

    @TempDir
    Path home;

    @Test
    void jar_isInItsModulesTargetFolder_ofTheCheckout() {
        Workspace workspace = new Workspace(RepositoryRoot.require(), home);

        for (ChildService service : ChildService.values()) {
            Path module = service.jar(workspace).getParent().getParent();
            assertThat(module.resolve("pom.xml")).as(service.title()).isRegularFile();
        }
        assertThat(ChildService.DEMO_ORIGIN.jar(workspace))
                .isEqualTo(workspace.root().resolve("infra/demo-origin/target/meridian-demo-origin.jar"));
        assertThat(ChildService.REGION_LINKS.jar(workspace))
                .isEqualTo(workspace.root().resolve("infra/links/target/meridian-links.jar"));
    }

    @Test
    void requireJar_missing_namesTheBuild() {
        Workspace empty = new Workspace(home.resolve("checkout"), home.resolve(".meridian"));

        assertThatThrownBy(() -> ChildService.DEMO_ORIGIN.requireJar(empty))
                .hasMessageContaining("no demo origin jar")
                .hasMessageContaining("-pl infra/demo-origin");
    }

    @Test
    void h2_isNotOnTheLaunchersClasspath() {
        assertThatThrownBy(() -> Class.forName("org.h2.Driver")).isInstanceOf(ClassNotFoundException.class);
    }
}

package io.meridian.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's layers, from the top: {@code api} (HTTP) → the read and write paths ({@code routing}, {@code cache},
 * {@code origin}, ...) → the stores ({@code redis}, {@code kafka}, {@code identity}) → {@code config}, {@code
 * failure}, {@code metrics}, {@code net}. An arrow never runs back up, and no packages import each other in a loop.
 */
class LayersTest {

    private static final String BASE = "io.meridian.gateway";
    private static final String[] READ_AND_WRITE_PATHS = {
        BASE + ".routing..",
        BASE + ".cache..",
        BASE + ".origin..",
        BASE + ".changes..",
        BASE + ".hotkeys..",
        BASE + ".nearcache..",
        BASE + ".purge..",
        BASE + ".conditions..",
        BASE + ".degradation..",
        BASE + ".session.."
    };
    private static final String[] ABOVE_THE_GROUND = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(READ_AND_WRITE_PATHS),
                    java.util.stream.Stream.of(
                            BASE + ".api..", BASE + ".redis..", BASE + ".kafka..", BASE + ".identity.."))
            .toArray(String[]::new);
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void onlyApiKnowsHttpAndNothingUsesApi() {
        noClasses()
                .that()
                .resideOutsideOfPackage(BASE + ".api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(BASE + ".api..")
                .check(MAIN);
    }

    @Test
    void theStoresKnowNothingOfTheReadAndWritePaths() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + ".redis..", BASE + ".kafka..", BASE + ".identity..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(READ_AND_WRITE_PATHS)
                .check(MAIN);
    }

    @Test
    void configurationAndFailuresAreTheGround() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + ".config..", BASE + ".failure..", BASE + ".metrics..", BASE + ".net..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ABOVE_THE_GROUND)
                .check(MAIN);
    }
}

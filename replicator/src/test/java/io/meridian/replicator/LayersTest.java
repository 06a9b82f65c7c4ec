package io.meridian.replicator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The replicator's packages import each other in no loop, and {@code config} is the ground they stand on. */
class LayersTest {

    private static final String BASE = "io.meridian.replicator";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void configurationDependsOnNoOtherPackage() {
        noClasses()
                .that()
                .resideInAPackage(BASE + ".config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        BASE + ".apply..",
                        BASE + ".gaps..",
                        BASE + ".health..",
                        BASE + ".ingest..",
                        BASE + ".purge..",
                        BASE + ".recovery..",
                        BASE + ".sources..",
                        BASE + ".warm..",
                        BASE + ".watermark..")
                .check(MAIN);
    }
}

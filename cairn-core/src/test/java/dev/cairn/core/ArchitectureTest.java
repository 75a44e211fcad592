package dev.cairn.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core depends on the JDK and slf4j only: no web framework, no SQL, no HTTP, no JSON binding, no cloud SDK. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn.core");

    @Test
    void coreImportsNoFrameworkSqlOrHttp() {
        noClasses().that().resideInAPackage("dev.cairn.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "java.sql..", "javax.sql..",
                        "java.net.http..", "com.fasterxml.jackson..", "software.amazon..", "org.flywaydb..",
                        "picocli..", "dev.cairn.storage..", "dev.cairn.server..", "dev.cairn.api..")
                .check(core);
    }

    @Test
    void theRuleSeesTheCore() {
        // Guards against the rule passing vacuously because nothing was imported.
        org.assertj.core.api.Assertions.assertThat(core.contain(RegistryService.class)).isTrue();
    }
}

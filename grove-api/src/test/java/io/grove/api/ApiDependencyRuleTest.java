package io.grove.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The plugin contract must not drag any library into plugins: it depends on the JDK only. */
class ApiDependencyRuleTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.grove.api");

    @Test
    void apiDependsOnTheJdkOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.grove.api..", "java..", "javax.annotation..")
                .because("plugins compile against grove-api alone, and it must not impose libraries on them")
                .check(API);
    }

    @Test
    void apiDoesNotUseTheRuntimeOrHelidon() {
        classes().should().onlyDependOnClassesThat()
                .resideOutsideOfPackages("io.grove.runtime..", "io.helidon..")
                .check(API);
    }
}

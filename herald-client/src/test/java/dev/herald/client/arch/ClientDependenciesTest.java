package dev.herald.client.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The SDK stays light to depend on: the JDK (java.net.http, no event loop), herald-core, herald-json and Jackson,
 * nothing else. The transport knows nothing of the client above it, so another transport (in-process) can live
 * in another module.
 */
class ClientDependenciesTest {
    /** The module's own classes only: importing by package would scan the whole class path. */
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

    @Test
    void theClientUsesOnlyTheJdkTheCoreTheJsonFormAndJackson() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.herald.client..",
                "dev.herald.core..", "dev.herald.json..", "com.fasterxml.jackson..").check(CLASSES);
    }

    @Test
    void theTransportDoesNotKnowTheClient() {
        noClasses().that().resideInAPackage("dev.herald.client.transport..")
                .should().dependOnClassesThat().resideInAPackage("dev.herald.client").check(CLASSES);
    }
}

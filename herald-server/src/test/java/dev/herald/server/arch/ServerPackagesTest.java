package dev.herald.server.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's packages depend one way (docs/architecture.md): {@code auth}, {@code metrics} and {@code logging}
 * on nothing of the server; {@code edge}, what every endpoint shares, on {@code auth} and {@code metrics} only;
 * {@code rest}, {@code stream} and {@code openapi} on the edge and never on each other; {@code local} (the in-process
 * client's transport) on {@code rest} and {@code stream}, and nothing on it but the root package, which puts them
 * together (the {@code herald} command is a module above, herald-cli). Checked on the compiled classes, so a fully
 * qualified name counts like an import.
 */
class ServerPackagesTest {
    private static final String SERVER = "dev.herald.server";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(SERVER);

    private static String[] packages(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = SERVER + "." + names[i] + "..";
        }
        return out;
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void authMetricsAndLoggingDependOnNoOtherPartOfTheServer() {
        noClasses().that().resideInAnyPackage(packages("auth", "metrics", "logging"))
                .should().dependOnClassesThat().resideInAnyPackage(packages("edge", "rest", "stream", "openapi", "local"))
                .orShould().dependOnClassesThat().resideInAPackage(SERVER)
                .check(CLASSES);
    }

    @Test
    void theEdgeNeverImportsRoutes() {
        noClasses().that().resideInAPackage(SERVER + ".edge..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("rest", "stream", "openapi", "local"))
                .orShould().dependOnClassesThat().resideInAPackage(SERVER)
                .check(CLASSES);
    }

    @Test
    void routesAndTheDocumentDoNotKnowEachOther() {
        noClasses().that().resideInAPackage(SERVER + ".rest..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("stream", "openapi", "local"))
                .check(CLASSES);
        noClasses().that().resideInAPackage(SERVER + ".stream..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("rest", "openapi", "local"))
                .check(CLASSES);
        noClasses().that().resideInAPackage(SERVER + ".openapi..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("rest", "stream", "local"))
                .check(CLASSES);
    }

    @Test
    void theInProcessClientSitsOnTheRoutesAndOnlyTheServerHandsItOut() {
        noClasses().that().resideInAPackage(SERVER + ".local..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("openapi"))
                .orShould().dependOnClassesThat().resideInAPackage(SERVER)
                .check(CLASSES);
    }

    @Test
    void onlyTheRootPackageUsesTheWholeServer() {
        noClasses().that().resideInAnyPackage(packages("auth", "metrics", "logging", "edge", "rest", "stream", "openapi",
                        "local"))
                .should().dependOnClassesThat().resideInAPackage(SERVER)
                .check(CLASSES);
    }
}

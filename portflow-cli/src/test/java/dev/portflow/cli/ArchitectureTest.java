package dev.portflow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture the Maven modules stand for, checked on the main classes of every module on this
 * (the CLI's) class path, so a shortcut that compiles still fails the build: no package cycles
 * anywhere (a cycle only {@code jdeps} would see, like the one {@code metrics <-> port} once had),
 * core never reaches into an edge (nor into {@code dev.portflow.json}: core has no Jackson), no edge into what core does not export, each edge only into what it is built on (the blueprint loader finds
 * the recipes through their SPI, never by their classes), and the ring buffers
 * ({@code dev.portflow.channel}) stay inside core.
 */
class ArchitectureTest {

    private static final String[] CORE = {
        "dev.portflow",
        "dev.portflow.channel..",
        "dev.portflow.component..",
        "dev.portflow.internal..",
        "dev.portflow.message..",
        "dev.portflow.metrics..",
        "dev.portflow.port..",
        "dev.portflow.runtime..",
        "dev.portflow.time..",
        "dev.portflow.trace.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // the dashboard's test fixture
                .importPackages("dev.portflow");
        // Guard against a rule passing because nothing was imported.
        for (String module : new String[] {
            "runtime.Pipeline",
            "json.StrictJson",
            "tracing.OpenTelemetryTracing",
            "http.PortflowServer",
            "dashboard.Dashboard",
            "recipes.Json",
            "kafka.KafkaTransport",
            "disk.DiskTransport",
            "blueprint.Blueprints",
            "blueprint.spi.Recipe",
            "cli.PortflowCli"
        }) {
            assertThat(classes.contain("dev.portflow." + module)).as(module).isTrue();
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.portflow.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachModuleOnlyUsesWhatItIsBuiltOn() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Core")
                .definedBy(CORE)
                .layer("Json")
                .definedBy("dev.portflow.json..")
                .layer("Tracing")
                .definedBy("dev.portflow.tracing..")
                .layer("Http")
                .definedBy("dev.portflow.http..")
                .layer("Dashboard")
                .definedBy("dev.portflow.dashboard..")
                .layer("RecipeSpi")
                .definedBy("dev.portflow.blueprint.spi..")
                .layer("Recipes")
                .definedBy("dev.portflow.recipes..")
                .layer("Kafka")
                .definedBy("dev.portflow.kafka..")
                .layer("Disk")
                .definedBy("dev.portflow.disk..")
                .layer("Blueprint")
                .definedBy(
                        "dev.portflow.blueprint",
                        "dev.portflow.blueprint.model..",
                        "dev.portflow.blueprint.parse..",
                        "dev.portflow.blueprint.validate..",
                        "dev.portflow.blueprint.assemble..")
                .layer("Cli")
                .definedBy("dev.portflow.cli..")
                .whereLayer("Core")
                .mayOnlyAccessLayers("Core")
                .whereLayer("Json")
                .mayNotAccessAnyLayer()
                .whereLayer("Tracing")
                .mayOnlyAccessLayers("Core")
                .whereLayer("Http")
                .mayOnlyAccessLayers("Core", "Json")
                .whereLayer("Dashboard")
                .mayOnlyAccessLayers("Core", "Json", "Http")
                .whereLayer("RecipeSpi")
                .mayOnlyAccessLayers("Core")
                .whereLayer("Recipes")
                .mayOnlyAccessLayers("Core", "Json", "RecipeSpi")
                .whereLayer("Kafka")
                .mayOnlyAccessLayers("Core", "Json")
                .whereLayer("Disk")
                .mayOnlyAccessLayers("Core", "Json")
                .whereLayer("Blueprint")
                .mayOnlyAccessLayers("Core", "Json", "Http", "Dashboard", "RecipeSpi", "Kafka", "Disk")
                .whereLayer("Cli")
                .mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    /** What core does not export (docs/api.md): no other module's main code may use it. */
    @Test
    void coreInternalsStayInsideCore() {
        noClasses()
                .that()
                .resideOutsideOfPackages(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.portflow.channel..", "dev.portflow.internal..")
                .check(classes);
    }
}

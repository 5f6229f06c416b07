package dev.theta.runner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.theta.core.architecture.CoreCallingTheCommandLine;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allowed arrows between theta's modules (docs/architecture.md): command line -> library -> tasks are beside
 * it, plugins and backends below, theta-api at the bottom; never back up, never sideways between tasks. Each rule
 * names the packages a module's classes may not use.
 */
class ArchitectureTest {
    private static final JavaClasses THETA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.theta");

    private static final String[] PLUGINS = {"dev.theta.losses..", "dev.theta.hypotheses..", "dev.theta.optimizers..",
            "dev.theta.datasets.."};

    /** The API plugins compile against depends on the JDK and SLF4J only. */
    static final ArchRule API_DEPENDS_ON_NOTHING = noClasses().that().resideInAPackage("dev.theta.api..")
            .should().dependOnClassesThat().resideOutsideOfPackages("dev.theta.api..", "java..", "org.slf4j..");

    /** Built-in plugins are written as third parties write theirs: against theta-api alone. */
    static final ArchRule PLUGINS_USE_THE_API_ONLY = noClasses().that().resideInAnyPackage(PLUGINS)
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.core..", "dev.theta.runner..", "dev.theta.tasks..",
                    "dev.theta.backend..", "com.google.inject..", "com.fasterxml..");

    /** Backends implement the SPI; they know nothing of the library, the command line, tasks or plugins. */
    static final ArchRule BACKENDS_IMPLEMENT_THE_SPI = noClasses().that().resideInAPackage("dev.theta.backend..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.core..", "dev.theta.runner..", "dev.theta.tasks..",
                    "dev.theta.losses..", "dev.theta.hypotheses..", "dev.theta.optimizers..", "dev.theta.datasets..");

    /** The library never reaches up to the command line or to a task, and carries no CLI, chart or logging backend. */
    static final ArchRule LIBRARY_BELOW_THE_COMMAND_LINE = noClasses().that().resideInAPackage("dev.theta.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.runner..", "dev.theta.tasks..", "picocli..",
                    "org.jfree..", "me.tongfei..", "ch.qos.logback..");

    /** The training loop is generic: no task, no wiring, no dataset plugin, no ONNX Runtime. */
    static final ArchRule TRAINING_IS_GENERIC = noClasses().that().resideInAPackage("dev.theta.core.training..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.core.wiring..", "dev.theta.datasets..",
                    "dev.theta.tasks..", "ai.onnxruntime..", "com.google.inject.multibindings..");

    /** Tasks plug into the library; they never depend on each other or on the command line. */
    static final ArchRule TASKS_STAND_APART = noClasses().that().resideInAPackage("dev.theta.tasks.clip..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.tasks.text..", "dev.theta.runner..");

    /** Saved models run through the SPI: only the ONNX Runtime backend touches ONNX Runtime's API. */
    static final ArchRule ONLY_THE_BACKEND_USES_ONNX_RUNTIME = noClasses().that().resideOutsideOfPackage("dev.theta.backend.onnxruntime..")
            .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..");

    /**
     * Spark is optional: only theta-spark uses it, and the library reaches theta-spark through the StepEngine service
     * alone, so the default build and ./theta carry no Spark jars.
     */
    static final ArchRule ONLY_THETA_SPARK_USES_SPARK = noClasses().that().resideOutsideOfPackage("dev.theta.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..", "dev.theta.spark..");

    static final ArchRule TEXT_STANDS_APART = noClasses().that().resideInAPackage("dev.theta.tasks.text..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.theta.tasks.clip..", "dev.theta.runner..");

    @Test
    void onlyThetaSparkUsesSpark() {
        ONLY_THETA_SPARK_USES_SPARK.check(THETA);
    }

    @Test
    void theApiDependsOnNothing() {
        API_DEPENDS_ON_NOTHING.check(THETA);
    }

    @Test
    void pluginsUseTheApiOnly() {
        PLUGINS_USE_THE_API_ONLY.check(THETA);
    }

    @Test
    void backendsImplementTheSpi() {
        BACKENDS_IMPLEMENT_THE_SPI.check(THETA);
    }

    @Test
    void theLibraryIsBelowTheCommandLine() {
        LIBRARY_BELOW_THE_COMMAND_LINE.check(THETA);
    }

    @Test
    void theTrainingLoopIsGeneric() {
        TRAINING_IS_GENERIC.check(THETA);
    }

    @Test
    void onlyTheOnnxRuntimeBackendUsesOnnxRuntime() {
        ONLY_THE_BACKEND_USES_ONNX_RUNTIME.check(THETA);
    }

    @Test
    void tasksStandApart() {
        TASKS_STAND_APART.check(THETA);
        TEXT_STANDS_APART.check(THETA);
    }

    /** The rules are not vacuous: a library class that calls the command line is caught. */
    @Test
    void aForbiddenArrowFailsTheRule() {
        JavaClasses bad = new ClassFileImporter().importClasses(CoreCallingTheCommandLine.class);
        assertTrue(LIBRARY_BELOW_THE_COMMAND_LINE.evaluate(bad).hasViolation());
    }
}

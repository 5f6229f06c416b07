package dev.theta.runner.plugins;

import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.registry.Registered;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.runner.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugins directory with one good jar beside every fault: two providers claiming one name, a constructor that
 * throws, a declared class that is missing, files that are not jars, a jar built for another API version, and two
 * plugins that load but are wrong (a loss that is NaN, a backend that is off). Each fault is reported naming the jar
 * and the class, fails with exit code 4 when used, and leaves the other plugins usable.
 */
class PluginFaultsTest {
    @TempDir
    static Path plugins;

    @TempDir
    Path work;

    @BeforeAll
    static void buildJars() throws IOException {
        Path scratch = Files.createTempDirectory("theta-plugin-src");
        jar(scratch, "good.jar", Map.of("GoodLoss", PluginJars.loss("GoodLoss", "good-loss", "", PluginJars.CROSS_ENTROPY)), "1");
        jar(scratch, "twin-a.jar", Map.of("TwinA", PluginJars.loss("TwinA", "twin", "", PluginJars.CROSS_ENTROPY)), "1");
        jar(scratch, "twin-b.jar", Map.of("TwinB", PluginJars.loss("TwinB", "twin", "", PluginJars.CROSS_ENTROPY)), "1");
        jar(scratch, "throwing.jar", Map.of("ThrowingLoss", PluginJars.loss("ThrowingLoss", "throwing",
                "throw new IllegalStateException(\"no GPU here\");", PluginJars.CROSS_ENTROPY)), "1");
        move(scratch, PluginJars.jar(scratch, "missing.jar", Map.of(),
                Map.of(LossProvider.class, List.of("MissingLoss")), "1"));
        jar(scratch, "old.jar", Map.of("OldLoss", PluginJars.loss("OldLoss", "old-loss", "", PluginJars.CROSS_ENTROPY)), "0");
        jar(scratch, "nan.jar", Map.of("NanLoss", PluginJars.loss("NanLoss", "nan-loss", "",
                "return scores.sub(scores.amaxKeep(1)).sum(1).log();")), "1");
        jar(scratch, "wide.jar", Map.of("WideLoss", PluginJars.loss("WideLoss", "wide-loss", "",
                "return scores.sum(1).reshape(Shape.of(Shape.BATCH, 1));")), "1");
        move(scratch, PluginJars.jar(scratch, "narrow.jar", Map.of("NarrowHypothesis", NARROW_HYPOTHESIS),
                Map.of(HypothesisProvider.class, List.of("NarrowHypothesis")), "1"));
        move(scratch, PluginJars.jar(scratch, "plain.jar", Map.of("PlainSgd", PLAIN_SGD),
                Map.of(OptimizerProvider.class, List.of("PlainSgd")), "1"));
        move(scratch, PluginJars.jar(scratch, "off.jar", Map.of("OffBackend", OFF_BACKEND),
                Map.of(BackendProvider.class, List.of("OffBackend")), "1"));
        Files.writeString(plugins.resolve("notes.txt"), "not a plugin");
        Files.writeString(plugins.resolve("fake.jar"), "not a zip either");
    }

    private static void jar(Path scratch, String name, Map<String, String> sources, String api) throws IOException {
        move(scratch, PluginJars.jar(scratch, name, sources, Map.of(LossProvider.class, List.copyOf(sources.keySet())), api));
    }

    private static void move(Path scratch, Path jar) throws IOException {
        Files.move(jar, plugins.resolve(jar.getFileName()));
    }

    @Test
    void thetaPluginsMarksEveryBrokenOneAndListsTheGoodOne() {
        Result r = theta("--plugins", plugins.toString(), "plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(row(r, "good-loss").contains(jar("good.jar")) && !row(r, "good-loss").contains("BROKEN"), r.out());
        assertContains(row(r, "twin"), "BROKEN", jar("twin-a.jar"), jar("twin-b.jar"), "test.plugins.TwinA", "test.plugins.TwinB");
        assertContains(r.out(), "BROKEN: test.plugins.ThrowingLoss", jar("throwing.jar"), "no GPU here");
        assertContains(r.out(), "BROKEN: test.plugins.MissingLoss", jar("missing.jar"));
        assertContains(row(r, "old-loss"), "BROKEN", jar("old.jar"), "test.plugins.OldLoss", "theta API version 0");
        assertContains(row(r, "?"), jar("notes.txt"), "BROKEN: not a jar", jar("fake.jar"), "BROKEN: not a readable jar");
    }

    @ParameterizedTest(name = "loss {0}")
    @CsvSource({
            "twin,       twin-a.jar,   test.plugins.TwinA,        two loss providers are named 'twin'",
            "twin,       twin-b.jar,   test.plugins.TwinB,        two loss providers are named 'twin'",
            "throwing,   throwing.jar, test.plugins.ThrowingLoss, no GPU here",
            "missing,    missing.jar,  test.plugins.MissingLoss,  Provider test.plugins.MissingLoss not found",
            "old-loss,   old.jar,      test.plugins.OldLoss,      built against theta API version 0",
    })
    void usingABrokenPluginFailsNamingTheJarAndTheClass(String loss, String jar, String className, String why) throws IOException {
        Result r = train(loss);
        assertEquals(4, r.code(), r.err());
        assertContains(r.err(), jar(jar), className, why);
    }

    @Test
    void aFileThatIsNotAJarIsNamedWhenAPluginIsMissing() throws IOException {
        Result r = train("notes");
        assertEquals(4, r.code(), r.err());
        assertContains(r.err(), "unknown loss 'notes'", jar("notes.txt") + ": not a jar", jar("fake.jar") + ": not a readable jar");
    }

    @Test
    void aLossOfTheWrongShapeIsThePluginsFaultNamingItsJarAndTheShape() throws IOException {
        Result r = train("wide-loss");
        assertEquals(4, r.code(), r.err());
        assertContains(r.err(), "loss 'wide-loss' from " + jar("wide.jar"), "[N, 1]", "one value per example");
        assertFalse(r.err().contains("internal error") || r.err().contains("loss.name"), r.err());
    }

    @Test
    void aHypothesisOfTheWrongShapeIsBlamedNotTheLoss() throws IOException {
        Result r = train("cross-entropy", "sgd", "", "narrow");
        assertEquals(4, r.code(), r.err());
        assertContains(r.err(), "hypothesis 'narrow' from " + jar("narrow.jar"), "[N, 1]", "[N, 10]");
        assertFalse(r.err().contains("loss.name") || r.err().contains("loss 'cross-entropy'"), r.err());
    }

    @Test
    void thetaCheckFailsForALossOfTheWrongShape() {
        Result r = theta("--plugins", plugins.toString(), "check", "wide-loss");
        assertEquals(4, r.code(), r.out() + r.err());
        assertContains(r.out(), "FAIL", "one value per example");
    }

    @Test
    void theFrameworkOwnsTheLearningRateAndTheReduction() throws IOException {
        Result plain = train("good-loss", "plain-sgd", "");
        assertEquals(0, plain.code(), "an optimizer without an lr option trains with optimizer.lr: " + plain.err());
        Result sum = train("good-loss", "sgd", ", reduction: sum");
        assertEquals(0, sum.code(), "a loss without a reduction option takes loss.reduction: " + sum.err());
        Result none = train("good-loss", "sgd", ", reduction: none");
        assertEquals(2, none.code(), none.err());
        assertContains(none.err(), "plugin.yaml:4: loss.reduction = 'none'", "scalar objective");
        assertEquals(0, theta("--plugins", plugins.toString(), "check", "plain-sgd").code());
    }

    @Test
    void theGoodPluginTrainsBesideTheBrokenOnes() throws IOException {
        Result r = train("good-loss");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void thetaCheckFailsForAWrongLossNamingTheCheck() {
        Result r = theta("--plugins", plugins.toString(), "check", "nan-loss");
        assertEquals(4, r.code(), r.out() + r.err());
        assertContains(r.out(), "gradient vs finite differences", "FAIL");
        assertContains(r.err(), "loss 'nan-loss': gradient vs finite differences");
    }

    @Test
    void thetaCheckFailsForAWrongBackendNamingTheCheck() {
        Result r = theta("--plugins", plugins.toString(), "check", "off-by-a-bit");
        assertEquals(4, r.code(), r.out() + r.err());
        assertContains(r.err(), "backend 'off-by-a-bit': forward vs reference", "gradient vs reference");
    }

    @Test
    void thetaCheckPassesForTheGoodPlugin() {
        Result r = theta("--plugins", plugins.toString(), "check", "good-loss");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @TestFactory
    Stream<DynamicTest> thetaCheckPassesForEveryBuiltInPlugin() {
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader(), List.of());
        return Stream.of(PluginKind.values()).flatMap(kind -> registry.all(kind).stream())
                .filter(p -> !p.provider().getClass().getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes"))
                .map((Registered<?> p) ->
                DynamicTest.dynamicTest(p.kind().label() + " " + p.name(), () -> {
                    Result r = theta("check", p.name(), "--kind", p.kind().label());
                    assertEquals(0, r.code(), r.out() + r.err());
                }));
    }

    private Result train(String loss) throws IOException {
        return train(loss, "sgd", "");
    }

    private Result train(String loss, String optimizer, String lossOptions) throws IOException {
        return train(loss, optimizer, lossOptions, "linear");
    }

    private Result train(String loss, String optimizer, String lossOptions, String hypothesis) throws IOException {
        Path data = Path.of("../examples/data/digits.csv.gz").toAbsolutePath().normalize();
        Path config = work.resolve("plugin.yaml");
        Files.writeString(config, """
                name: plugin
                data: {train: {name: csv, path: %s, header: none}, test-fraction: 0.25}
                hypothesis: {name: %s}
                loss: {name: %s%s}
                optimizer: {name: %s, lr: 0.05}
                train: {epochs: 1, batch-size: 64}
                backend: {name: cpu}
                export: none
                """.formatted(data, hypothesis, loss, lossOptions, optimizer));
        return theta("--plugins", plugins.toString(), "train", config.toString(), "--out", Files.createTempDirectory(work, "run").toString());
    }

    /** A hypothesis that gives one score whatever the loss asks for. */
    private static final String NARROW_HYPOTHESIS = """
            package test.plugins;

            import dev.theta.api.options.OptionSchema;
            import dev.theta.api.options.Options;
            import dev.theta.api.spi.*;
            import dev.theta.api.tensor.Shape;

            public final class NarrowHypothesis implements HypothesisProvider {
                public String name() { return "narrow"; }
                public String description() { return "test hypothesis with one score too few"; }
                public OptionSchema options() { return OptionSchema.of(); }
                public Hypothesis create(Options options, DataSpec data, int scores) {
                    int d = data.featureSize();
                    return (p, x) -> x.matmul(p.create("W", Shape.of(d, 1), d, 1, Initializer.ZEROS));
                }
            }
            """;

    /** An optimizer provider with no options at all: it reads the learning rate from the step, as theta gives it. */
    private static final String PLAIN_SGD = """
            package test.plugins;

            import dev.theta.api.graph.Value;
            import dev.theta.api.options.OptionSchema;
            import dev.theta.api.options.Options;
            import dev.theta.api.spi.*;

            public final class PlainSgd implements OptimizerProvider {
                public String name() { return "plain-sgd"; }
                public String description() { return "test optimizer without options"; }
                public OptionSchema options() { return OptionSchema.of(); }
                public Optimizer create(Options options) {
                    return u -> u.parameter().sub(u.learningRate().mul(u.gradient()));
                }
            }
            """;

    private static String jar(String name) {
        return plugins.resolve(name).toString();
    }

    private static String row(Result r, String name) {
        return r.out().lines().filter(l -> l.matches("\\S+\\s+" + java.util.regex.Pattern.quote(name) + "\\s.*"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), "expected '" + p + "' in:\n" + text);
        }
    }

    record Result(int code, String out, String err) {
    }

    static synchronized Result theta(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    private static final String OFF_BACKEND = """
            package test.plugins;

            import dev.theta.api.graph.Graph;
            import dev.theta.api.options.OptionSchema;
            import dev.theta.api.options.Options;
            import dev.theta.api.reference.ReferenceBackend;
            import dev.theta.api.spi.*;
            import dev.theta.api.tensor.DType;
            import dev.theta.api.tensor.Tensor;

            /** The reference backend, with every float output off by 0.01 after each run. */
            public final class OffBackend implements BackendProvider {
                public String name() { return "off-by-a-bit"; }
                public String description() { return "a wrong backend"; }
                public OptionSchema options() { return OptionSchema.of(); }
                public Backend create(Options options) {
                    Backend inner = new ReferenceBackend();
                    return new Backend() {
                        public Executable compile(Graph graph, int batch) {
                            Executable exe = inner.compile(graph, batch);
                            return new Executable() {
                                public Tensor input(String name) { return exe.input(name); }
                                public Tensor output(String name) { return exe.output(name); }
                                public void run() {
                                    exe.run();
                                    for (String name : graph.outputs().keySet()) {
                                        Tensor t = exe.output(name);
                                        if (t.dtype() == DType.FLOAT32) {
                                            float[] f = t.floats();
                                            for (int i = 0; i < f.length; i++) { f[i] += 0.01f; }
                                        }
                                    }
                                }
                            };
                        }
                    };
                }
            }
            """;
}

package dev.theta.backend.onnxruntime;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.theta.api.graph.Graph;
import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.UnaryFn;
import dev.theta.api.reference.PrimitiveCases;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.backend.onnxruntime.Catalog.Combo;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.backend.onnxruntime.lowering.OnnxModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ONNX's own checker with full checking (Debian {@code python3-onnx}) accepts every exported model and the lowered
 * training steps: one step with a symbolic batch, and four steps as a Loop (an MLP, and a cnn with batch
 * normalization, whose export is checked too); and the gradient graphs of the image
 * primitives' cases. Fails, rather than skips, when the checker is missing.
 */
class OnnxCheckerTest {
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @TempDir
    static Path dir;

    @BeforeAll
    static void checkerIsInstalled() throws Exception {
        Result r = python("import onnx; print(onnx.__version__)");
        assertEquals(0, r.exit, "ONNX's checker is needed (apt-get install python3-onnx): " + r.output);
    }

    @TestFactory
    Stream<DynamicTest> modelsPassTheFullCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Combo c : TrainedModels.onePerHypothesis()) {
            tests.add(DynamicTest.dynamicTest("export " + c, () -> check(OnnxExporter.model(TrainedModels.trained(c)))));
        }
        Combo mlp = Catalog.combos().stream().filter(c -> c.name().startsWith("mlp") && c.name().endsWith("adam"))
                .findFirst().orElseThrow();
        Graph step = mlp.program(3).step();
        tests.add(DynamicTest.dynamicTest("training step, symbolic batch: " + mlp, () -> check(OnnxModels.single(step, 0))));
        tests.add(DynamicTest.dynamicTest("training step, batch 8: " + mlp, () -> check(OnnxModels.single(step, 8))));
        tests.add(DynamicTest.dynamicTest("4 training steps as a Loop: " + mlp, () -> check(OnnxModels.loop(step, 8, 4))));
        Graph batchNorm = BatchNormOnOrtTest.program().step();
        tests.add(DynamicTest.dynamicTest("cnn with batchnorm, training step, symbolic batch",
                () -> check(OnnxModels.single(batchNorm, 0))));
        tests.add(DynamicTest.dynamicTest("cnn with batchnorm, 4 training steps as a Loop",
                () -> check(OnnxModels.loop(batchNorm, 8, 4))));
        tests.add(DynamicTest.dynamicTest("cnn with batchnorm, export", () -> check(OnnxExporter.model(
                new ExportRequest(BatchNormOnOrtTest.program().predict(), Decision.ARGMAX, Map.of())))));
        return tests.stream();
    }

    /**
     * The image primitives, ScatterElements, stacked MatMul, Gather (its gradient is a scatter) and Erf, forward and
     * gradient, with the batch symbolic and concrete.
     */
    @TestFactory
    Stream<DynamicTest> loweredPrimitivesPassTheFullCheck() {
        Set<Class<?>> ops = Set.of(Conv.class, ConvTranspose.class, MaxPool.class, AveragePool.class,
                ScatterElements.class, MatMul.class, Gather.class);
        return PrimitiveCases.all().stream().filter(c -> ops.contains(c.op()) || c.row() == UnaryFn.ERF).flatMap(c -> Stream.of(
                DynamicTest.dynamicTest("gradient, symbolic batch: " + c, () -> check(OnnxModels.single(c.gradientGraph(), 0))),
                DynamicTest.dynamicTest("gradient, batch " + c.batch() + ": " + c,
                        () -> check(OnnxModels.single(c.gradientGraph(), c.batch())))));
    }

    private static void check(ModelProto model) throws Exception {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, model.toByteArray());
        Result r = python("import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", file.toString());
        assertEquals(0, r.exit, r.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result python(String code, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", code));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, "cannot start " + PYTHON + ": " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}

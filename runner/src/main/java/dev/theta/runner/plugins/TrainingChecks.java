package dev.theta.runner.plugins;

import dev.theta.api.spi.DataException;
import dev.theta.api.spi.SavedModel;
import dev.theta.api.spi.SavedModelLoader;
import java.util.Set;
import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Exporter;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The checks of a loss, hypothesis or optimizer on a {@link CheckProblem}: autodiff gradients of the training
 * objective against central finite differences in double precision; three training steps on the CPU backend
 * against the double-precision reference; the ONNX Runtime backend against the CPU backend; and the exported ONNX
 * model, run in ONNX Runtime, against the CPU backend's scores.
 */
final class TrainingChecks {
    static final String GRADIENT = "gradient vs finite differences";
    static final String CPU = "cpu step vs reference";
    static final String BACKENDS = "onnxruntime agrees with cpu";
    static final String EXPORT = "exported onnx model runs and matches";

    private static final int STEPS = 3;
    private static final int PROBES = 60;
    private static final double FD_STEP = 1e-5;
    private static final double FD_TOLERANCE = 1e-4;
    private static final double STEP_TOLERANCE = 2e-3;
    private static final double AGREE_TOLERANCE = 1e-4;

    private final CheckProblem problem;
    private final Backend cpu;
    private final Backend onnxruntime;
    private final Exporter onnx;

    TrainingChecks(CheckProblem problem, Backend cpu, Backend onnxruntime, Exporter onnx) {
        this.problem = problem;
        this.cpu = cpu;
        this.onnxruntime = onnxruntime;
        this.onnx = onnx;
    }

    List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.run(GRADIENT, this::gradient));
        TrainingProgram program = problem.program();
        Map<String, double[]> reference = new LinkedHashMap<>();
        results.add(CheckResult.run(CPU, () -> {
            Map<String, Tensor> onCpu = train(cpu, program.step());
            reference.putAll(referenceSteps(program.step()));
            return stepDetail(reference, compare(reference, onCpu, STEP_TOLERANCE, "reference", "cpu"));
        }));
        results.add(CheckResult.run(BACKENDS, () -> {
            String unavailable = onnxruntime.unavailableReason();
            if (unavailable != null) {
                throw new IllegalStateException("onnxruntime backend unavailable: " + unavailable);
            }
            Map<String, double[]> onCpu = asDoubles(train(cpu, program.step()));
            return stepDetail(onCpu, compare(onCpu, train(onnxruntime, program.step()), AGREE_TOLERANCE, "cpu", "onnxruntime"));
        }));
        results.add(CheckResult.run(EXPORT, () -> export(program)));
        return results;
    }

    /** Only the export check, for checking an exporter. */
    CheckResult exportOnly() {
        return CheckResult.run(EXPORT, () -> export(problem.program()));
    }

    /** dObjective/dθ by autodiff against central differences of the objective, all in double precision. */
    private String gradient() {
        Graph g = new Graph();
        Map<String, Value> params = new LinkedHashMap<>();
        Random random = new Random(CheckProblem.SEED);
        Parameters declare = (name, shape, fanIn, fanOut, init) -> {
            Tensor initial = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(initial.floats(), shape, fanIn, fanOut, random);
            perturbZeros(initial, random);
            Value v = g.input(TrainingProgram.parameter(name), Role.PARAMETER, initial);
            params.put(TrainingProgram.parameter(name), v);
            return v;
        };
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, problem.features().dtype(), withBatch(problem.data().featureShape()));
        Value y = g.input(TrainingProgram.TARGETS, Role.DATA, problem.targets().dtype(), withBatch(problem.data().targetShape()));
        // Class targets per position reach the loss as one row per position, as in training.
        Value rows = TrainingProgram.positionRows(y, problem.data());
        Value scores = TrainingProgram.positionRows(problem.hypothesis().scores(declare, x), problem.data());
        Value perExample = problem.loss().perExample(scores, rows);
        Value objective = TrainingProgram.reduce(problem.loss(), perExample, rows);
        g.output("objective", objective);
        Map<Value, Value> grads = Autodiff.gradients(objective, List.copyOf(params.values()));
        params.forEach((name, v) -> g.output("grad/" + name, grads.get(v)));

        Map<String, double[]> inputs = new LinkedHashMap<>();
        inputs.put(TrainingProgram.FEATURES, ReferenceInterpreter.toDoubles(problem.features()));
        inputs.put(TrainingProgram.TARGETS, ReferenceInterpreter.toDoubles(problem.targets()));
        params.keySet().forEach(name -> inputs.put(name, ReferenceInterpreter.toDoubles(g.initialValues().get(name))));
        Map<String, double[]> exact = ReferenceInterpreter.run(g, CheckProblem.BATCH, inputs);
        requireFinite(exact.get("objective"), "objective");

        List<String> names = List.copyOf(params.keySet());
        int total = names.stream().mapToInt(n -> inputs.get(n).length).sum();
        if (total == 0) {
            return "no parameters";
        }
        Random pick = new Random(CheckProblem.SEED + 1);
        double worst = 0;
        int probes = Math.min(PROBES, total);
        for (int probe = 0; probe < probes; probe++) {
            int flat = probes == total ? probe : pick.nextInt(total);
            String name = null;
            int index = flat;
            for (String n : names) {
                if (index < inputs.get(n).length) {
                    name = n;
                    break;
                }
                index -= inputs.get(n).length;
            }
            double[] theta = inputs.get(name);
            double saved = theta[index];
            double h = FD_STEP * Math.max(1, Math.abs(saved));
            theta[index] = saved + h;
            double up = ReferenceInterpreter.run(g, CheckProblem.BATCH, inputs, List.of("objective")).get("objective")[0];
            theta[index] = saved - h;
            double down = ReferenceInterpreter.run(g, CheckProblem.BATCH, inputs, List.of("objective")).get("objective")[0];
            theta[index] = saved;
            double numeric = (up - down) / (2 * h);
            double analytic = exact.get("grad/" + name)[index];
            double error = Math.abs(numeric - analytic) / Math.max(1, Math.abs(numeric));
            if (!(error <= FD_TOLERANCE)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "d objective / d %s[%d]: autodiff %.8g, finite differences %.8g", name, index, analytic, numeric));
            }
            worst = Math.max(worst, error);
        }
        return String.format(Locale.ROOT, "%d of %d parameter elements, max relative error %.1e", probes, total, worst);
    }

    /** Initializers may give exact zeros (biases); nudging them keeps ReLU-like kinks away from the probes. */
    private static void perturbZeros(Tensor t, Random random) {
        float[] f = t.floats();
        for (int i = 0; i < f.length; i++) {
            if (f[i] == 0) {
                f[i] = (float) (0.05 * random.nextGaussian());
            }
        }
    }

    /** {@value #STEPS} training steps on {@code backend}; the loss of the last step and the carried values after it. */
    private Map<String, Tensor> train(Backend backend, Graph step) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Executable exe = backend.compile(step, CheckProblem.BATCH)) {
            if (exe.stepsPerCall() != 1) {
                throw new IllegalStateException("backend runs " + exe.stepsPerCall() + " steps per call; check needs 1");
            }
            step.initialValues().forEach((name, t) -> exe.input(name).copyFrom(t));
            problem.batch().forEach((name, t) -> exe.input(name).copyFrom(t));
            for (int s = 1; s <= STEPS; s++) {
                exe.input(TrainingProgram.LEARNING_RATE).floats()[0] = CheckProblem.LEARNING_RATE;
                exe.input(TrainingProgram.STEP).floats()[0] = s;
                exe.run();
            }
            out.put(TrainingProgram.LOSS, exe.output(TrainingProgram.LOSS).copy());
            step.carries().values().forEach(in -> out.put(in, exe.input(in).copy()));
        }
        return out;
    }

    private Map<String, double[]> referenceSteps(Graph step) {
        Map<String, double[]> inputs = new LinkedHashMap<>();
        step.initialValues().forEach((name, t) -> inputs.put(name, ReferenceInterpreter.toDoubles(t)));
        problem.batch().forEach((name, t) -> inputs.put(name, ReferenceInterpreter.toDoubles(t)));
        inputs.put(TrainingProgram.LEARNING_RATE, new double[] {CheckProblem.LEARNING_RATE});
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int s = 1; s <= STEPS; s++) {
            inputs.put(TrainingProgram.STEP, new double[] {s});
            Map<String, double[]> result = ReferenceInterpreter.run(step, CheckProblem.BATCH, inputs);
            out.put(TrainingProgram.LOSS, result.get(TrainingProgram.LOSS));
            step.carries().forEach((output, input) -> inputs.put(input, result.get(output)));
        }
        step.carries().values().forEach(in -> out.put(in, inputs.get(in)));
        return out;
    }

    private static String stepDetail(Map<String, double[]> compared, double worst) {
        return String.format(Locale.ROOT, "loss and %d carried values after %d steps, max relative error %.1e",
                compared.size() - 1, STEPS, worst);
    }

    /** The largest relative error; fails naming the first element off by more than {@code tolerance}. */
    private static double compare(Map<String, double[]> expected, Map<String, Tensor> actual, double tolerance,
                                  String expectedName, String actualName) {
        double worst = 0;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            double[] want = e.getValue();
            Tensor got = actual.get(e.getKey());
            requireFinite(want, expectedName + " " + e.getKey());
            if (got == null || got.size() != want.length) {
                throw new IllegalStateException(actualName + " has no " + e.getKey() + " of " + want.length + " elements");
            }
            for (int i = 0; i < want.length; i++) {
                double error = Math.abs(got.get(i) - want[i]) / Math.max(1, Math.abs(want[i]));
                if (!(error <= tolerance)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s[%d]: %s %.8g, %s %.8g",
                            e.getKey(), i, actualName, got.get(i), expectedName, want[i]));
                }
                worst = Math.max(worst, error);
            }
        }
        return worst;
    }

    private static Map<String, double[]> asDoubles(Map<String, Tensor> tensors) {
        Map<String, double[]> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, ReferenceInterpreter.toDoubles(t)));
        return out;
    }

    /** Trains on the CPU backend, exports the prediction graph, runs the model in ONNX Runtime and compares scores. */
    private String export(TrainingProgram program) {
        Map<String, Tensor> trained = train(cpu, program.step());
        Map<String, Tensor> params = new LinkedHashMap<>();
        program.parameterInputs().forEach(p -> params.put(p, trained.get(p)));
        Graph predict = TrainingProgram.predictGraph(problem.data(), problem.hypothesis(), params);
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try (Executable exe = cpu.compile(predict, CheckProblem.BATCH)) {
            predict.initialValues().forEach((name, t) -> exe.input(name).copyFrom(t));
            exe.input(TrainingProgram.FEATURES).copyFrom(problem.features());
            exe.run();
            expected.put(TrainingProgram.SCORES, exe.output(TrainingProgram.SCORES).copy());
        }
        try {
            Path dir = Files.createTempDirectory("theta-check");
            Path file = dir.resolve(onnx.fileName());
            try {
                onnx.export(new ExportRequest(predict, problem.loss().decision(), Map.of("theta.check", "true")), file);
                if (!file.getFileName().toString().endsWith(".onnx")) {
                    return "wrote " + Files.size(file) + " bytes (not ONNX, so not run)";
                }
                double[] scores = runOnnx(file);
                double worst = compare(Map.of(TrainingProgram.SCORES, scores), expected, AGREE_TOLERANCE, "onnx model", "cpu");
                return String.format(Locale.ROOT, "%d scores, max relative error %.1e", scores.length, worst);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private double[] runOnnx(Path file) {
        try (SavedModel model = SavedModelLoader.load(file)) {
            if (!model.outputs().contains(TrainingProgram.SCORES)) {
                throw new IllegalStateException("the model has no output '" + TrainingProgram.SCORES + "'");
            }
            String input = model.inputs().keySet().iterator().next();
            float[] scores = model.run(Map.of(input, problem.features()), Set.of(TrainingProgram.SCORES)).get(TrainingProgram.SCORES).floats();
            double[] out = new double[scores.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores[i];
            }
            return out;
        } catch (DataException | IllegalArgumentException e) {
            throw new IllegalStateException("ONNX Runtime cannot run the exported model: " + e.getMessage(), e);
        }
    }

    private static void requireFinite(double[] values, String what) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException(what + " is not finite: " + v);
            }
        }
    }

    private static Shape withBatch(Shape s) {
        int[] dims = new int[s.rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(s.dims(), 0, dims, 1, s.rank());
        return Shape.of(dims);
    }
}

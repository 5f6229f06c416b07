package dev.theta.api.train;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.ParameterUpdate;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The two graphs of a training run. The <em>step</em> graph is one whole training step — forward, mean loss,
 * gradients and optimizer update — with parameters and optimizer state carried from run to run. The <em>eval</em>
 * graph gives scores and the summed loss (and summed mean weights) of a batch for the current parameters. Both graphs read features from
 * input {@value #FEATURES} and targets from {@value #TARGETS}, and output {@value #SCORES}. With one class per position
 * (class targets [T]), scores [N, T, k] and targets [N, T] reach the loss as TN rows, so its mean is over every
 * position of the batch; {@value #SCORES} stays [N, T, k].
 */
public final class TrainingProgram {
    public static final String FEATURES = "x";
    public static final String TARGETS = "y";
    public static final String LEARNING_RATE = "lr";
    public static final String STEP = "step";
    public static final String LOSS = "loss";
    public static final String LOSS_SUM = "loss_sum";
    public static final String WEIGHT_SUM = "weight_sum";
    public static final String SCORES = "scores";
    public static final String GRAD_NORM = "grad_norm";

    private final Graph step;
    private final Graph eval;
    private final Graph predict;
    private final List<String> parameters;
    private final List<String> trainable;

    private TrainingProgram(Graph step, Graph eval, Graph predict, List<String> parameters, List<String> trainable) {
        this.step = step;
        this.eval = eval;
        this.predict = predict;
        this.parameters = parameters;
        this.trainable = trainable;
    }

    /** Graph input name of parameter {@code name}. */
    public static String parameter(String name) {
        return "param/" + name;
    }

    /** Graph output name of the value an input takes after a step. */
    public static String next(String inputName) {
        return "next/" + inputName;
    }

    public Graph step() {
        return step;
    }

    public Graph eval() {
        return eval;
    }

    /**
     * Scores only: input {@value #FEATURES}, output {@value #SCORES}, parameters as inputs holding their initial
     * values. {@link #predictGraph} rebuilds it with trained values, for export.
     */
    public Graph predict() {
        return predict;
    }

    /** The prediction graph rebuilt with the given parameter values (keyed by input name). */
    public static Graph predictGraph(DataSpec data, Hypothesis hypothesis, Map<String, Tensor> parameters) {
        Graph g = new Graph();
        InitialParameters params = new InitialParameters(g, null, parameters);
        g.output(SCORES, hypothesis.scores(params, features(g, data)));
        return g;
    }

    /**
     * Graph input names of the model's values, in declaration order: the trainable parameters and the running
     * statistics of batch normalization (PyTorch's {@code state_dict}: parameters and buffers). These are what the
     * eval and predict graphs read, what a run saves as its parameters and what an export holds.
     */
    public List<String> parameterInputs() {
        return parameters;
    }

    /** Graph input names of the trainable parameters alone (those the optimizer updates), in declaration order. */
    public List<String> trainableInputs() {
        return trainable;
    }

    /** The initial values of the trainable parameters alone (keyed by input name, in declaration order). */
    public Map<String, Tensor> initialParameters() {
        Map<String, Tensor> values = new LinkedHashMap<>();
        trainable.forEach(p -> values.put(p, step.initialValues().get(p)));
        return values;
    }

    /** Builds both graphs; initial parameter values are drawn from a {@link Random} seeded with {@code seed}. */
    public static TrainingProgram build(DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer, long seed) {
        return build(data, hypothesis, loss, optimizer, seed, 0);
    }

    /**
     * As {@link #build(DataSpec, Hypothesis, Loss, Optimizer, long)}, the step's gradients clipped to global norm
     * {@code clipGradNorm} (0: not clipped; see {@link #appendUpdate(Graph, Value, Map, Optimizer, double)}).
     */
    public static TrainingProgram build(DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer, long seed,
                                        double clipGradNorm) {
        String refusal = loss.notTrainableReason();
        if (refusal != null) {
            throw new OptionException("loss.name", refusal);
        }
        Graph step = new Graph();
        InitialParameters params = new InitialParameters(step, new Random(seed), null);
        params.dropout = new Dropout(step, seed);
        params.training = true;
        Value x = features(step, data);
        Value y = targets(step, data);
        int k = loss.scores(data);
        Value stepScores = scores(hypothesis, params, x, k, data);
        Value flatTargets = positionRows(y, data);
        Value perExample = perExample(loss, positionRows(stepScores, data), flatTargets, data);
        Value lossValue = reduce(loss, perExample, flatTargets);
        step.output(LOSS, lossValue);
        outputSums(step, loss, perExample, flatTargets);
        // Scores before the update, so the loop can report running train accuracy without a second forward pass.
        step.output(SCORES, stepScores);

        appendUpdate(step, lossValue, params.values, optimizer, clipGradNorm);

        Graph eval = new Graph();
        InitialParameters evalParams = new InitialParameters(eval, null, step.initialValues());
        Value ex = features(eval, data);
        Value ey = positionRows(targets(eval, data), data);
        Value scores = scores(hypothesis, evalParams, ex, k, data);
        eval.output(SCORES, scores);
        outputSums(eval, loss, perExample(loss, positionRows(scores, data), ey, data), ey);
        Graph predict = predictGraph(data, hypothesis, step.initialValues());
        return new TrainingProgram(step, eval, predict, List.copyOf(params.modelInputs), List.copyOf(params.values.keySet()));
    }

    /**
     * Appends gradients of {@code loss} and the optimizer's update of every parameter (keyed by input name) to
     * {@code graph}, with inputs {@value #LEARNING_RATE} and {@value #STEP}, and the new values of parameters and
     * optimizer state as carried outputs named {@link #next}.
     */
    public static void appendUpdate(Graph graph, Value loss, Map<String, Value> parameters, Optimizer optimizer) {
        appendUpdate(graph, loss, parameters, optimizer, 0);
    }

    /**
     * As {@link #appendUpdate(Graph, Value, Map, Optimizer)}; with {@code clipGradNorm} c > 0 the optimizer sees the
     * gradients clipped by their global norm, as PyTorch's {@code clip_grad_norm_}: with total = sqrt(Σ g²) over every
     * element of every parameter's gradient, each gradient times min(1, c / (total + 1e-6)). The step then outputs
     * the total before clipping as {@value #GRAD_NORM}.
     */
    public static void appendUpdate(Graph graph, Value loss, Map<String, Value> parameters, Optimizer optimizer, double clipGradNorm) {
        Value lr = graph.input(LEARNING_RATE, Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value t = stepInput(graph);
        Map<Value, Value> grads = Autodiff.gradients(loss, List.copyOf(parameters.values()));
        if (clipGradNorm > 0) {
            grads = clipped(graph, grads, parameters, (float) clipGradNorm);
        }
        for (Map.Entry<String, Value> p : parameters.entrySet()) {
            Update u = new Update(graph, p.getKey(), p.getValue(), grads.get(p.getValue()), lr, t);
            Value next;
            try {
                next = optimizer.update(u);
            } catch (RuntimeException e) {
                throw new PluginFault(PluginKind.OPTIMIZER, "failed to build the update of parameter " + p.getKey() + ": " + e.getMessage(), e);
            }
            if (!next.type().equals(p.getValue().type())) {
                throw new PluginFault(PluginKind.OPTIMIZER, "gave " + next.type() + " as the new value of parameter " + p.getKey()
                        + ", which is " + p.getValue().type(), null);
            }
            graph.output(next(p.getKey()), next);
            graph.carry(next(p.getKey()), p.getKey());
            u.finish();
        }
    }

    /** The gradients scaled to global norm at most {@code max}; outputs their norm before scaling. */
    private static Map<Value, Value> clipped(Graph graph, Map<Value, Value> grads, Map<String, Value> parameters, float max) {
        Value squares = null;
        for (Value p : parameters.values()) {
            Value g = grads.get(p);
            Value s = g.mul(g).sum();
            squares = squares == null ? s : squares.add(s);
        }
        Value total = squares.sqrt();
        graph.output(GRAD_NORM, total);
        Value scale = graph.scalar(max).div(total.add(1e-6f)).min(1f);
        Map<Value, Value> out = new LinkedHashMap<>();
        for (Value p : parameters.values()) {
            out.put(p, grads.get(p).mul(scale));
        }
        return out;
    }

    /** Input {@value #STEP} of {@code graph}, declared on first use (dropout needs it before the update does). */
    static Value stepInput(Graph graph) {
        Value t = graph.inputs().get(STEP);
        return t != null ? t : graph.input(STEP, Role.HYPER, DType.FLOAT32, Shape.SCALAR);
    }

    /** The scalar training objective: the loss's reduction applied to its per-example values. */
    public static Value reduce(Loss loss, Value perExample, Value target) {
        return switch (loss.reduction()) {
            case SUM -> perExample.sum();
            case MEAN -> {
                Value weights = loss.meanWeights(target);
                yield weights == null ? perExample.mean() : perExample.sum().div(weights.sum());
            }
            case NONE -> throw new OptionException("loss.reduction", "none", "gives one loss per example; training needs"
                    + " a scalar objective: use reduction 'mean' (the default) or 'sum'");
        };
    }

    /**
     * Outputs {@value #LOSS_SUM} and {@value #WEIGHT_SUM}, so that a loop can report Σ loss / Σ weight over many
     * batches: the loss's mean whatever its reduction, weighted as its {@link Loss#meanWeights} says.
     */
    static void outputSums(Graph g, Loss loss, Value perExample, Value target) {
        g.output(LOSS_SUM, perExample.sum());
        Value weights = loss.meanWeights(target);
        g.output(WEIGHT_SUM, weights == null ? perExample.size().cast(DType.FLOAT32) : weights.sum());
    }

    /**
     * The hypothesis's scores, checked to be [N, k] ([N] too for one score; [N, N] for k = {@code Shape.BATCH}), or
     * [N, T, k] ([N, T] for one score) for class targets [T]; a failure is the plugin's.
     */
    static Value scores(Hypothesis hypothesis, Parameters params, Value x, int k, DataSpec data) {
        Value scores;
        try {
            scores = hypothesis.scores(params, x);
        } catch (PluginFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginFault(PluginKind.HYPOTHESIS, "failed to build its scores for inputs " + x.type() + ": " + e.getMessage(), e);
        }
        Shape perPosition = data.isClassification() ? data.targetShape() : Shape.SCALAR;
        if (k == Shape.BATCH && perPosition.rank() > 0) {
            throw new OptionException("loss.name", "scores each example against every other ([N, N]); it cannot be"
                    + " trained on class targets " + perPosition + " (one class per position)");
        }
        Shape expected = withBatch(perPosition);
        Shape s = scores.shape();
        boolean oneScore = k == 1 && s.equals(expected);
        boolean matches = s.rank() == expected.rank() + 1 && Arrays.equals(Arrays.copyOf(s.dims(), expected.rank()), expected.dims())
                && s.dim(-1) == k;
        if (!oneScore && !matches) {
            String positions = "N" + Arrays.stream(perPosition.dims()).mapToObj(d -> ", " + d).collect(Collectors.joining());
            throw new PluginFault(PluginKind.HYPOTHESIS, "gave scores of type " + scores.type() + " for inputs " + x.type()
                    + "; the loss asked for " + (k == Shape.BATCH ? "[N, N]" : k == 1 ? "[" + positions + "] or [" + positions + ", 1]"
                    : "[" + positions + ", " + k + "]"), null);
        }
        return scores;
    }

    /**
     * Scores [N, T, k] as [TN, k] rows and targets [N, T] as [TN], one row per position, so that a loss written for
     * one class per example sees one example per position; unchanged for one class per example.
     */
    public static Value positionRows(Value v, DataSpec data) {
        int t = data.positions();
        if (!data.isClassification() || data.targetShape().rank() == 0) {
            return v;
        }
        int[] rows = v.shape().rank() > data.targetShape().rank() + 1 ? new int[] {-t, v.shape().dim(-1)} : new int[] {-t};
        return v.reshape(rows);
    }

    /** The loss's per-example values, checked to be [N] ([TN] for class targets [T]); a failure is the plugin's. */
    static Value perExample(Loss loss, Value scores, Value target, DataSpec data) {
        Value perExample;
        try {
            perExample = loss.perExample(scores, target);
        } catch (RuntimeException e) {
            throw new PluginFault(PluginKind.LOSS, "failed to build its per-example values from scores " + scores.type()
                    + " and targets " + target.type() + ": " + e.getMessage(), e);
        }
        int rows = data.positions() == 1 ? Shape.BATCH : -data.positions();
        if (perExample.shape().rank() != 1 || perExample.shape().dim(0) != rows) {
            throw new PluginFault(PluginKind.LOSS, "gave per-example values of type " + perExample.type()
                    + "; a loss must give one value per example, " + (rows == Shape.BATCH ? "[N]" : "[" + data.positions() + "N]"), null);
        }
        return perExample;
    }

    static Value features(Graph g, DataSpec data) {
        return g.input(FEATURES, Role.DATA, data.featureType(), withBatch(data.featureShape()));
    }

    static Value targets(Graph g, DataSpec data) {
        return g.input(TARGETS, Role.DATA, data.isClassification() ? DType.INT64 : DType.FLOAT32, withBatch(data.targetShape()));
    }

    static Shape withBatch(Shape s) {
        int[] dims = new int[s.rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(s.dims(), 0, dims, 1, s.rank());
        return Shape.of(dims);
    }

    /** The optimizer's view of one parameter; state declared here becomes carried graph inputs. */
    private static final class Update implements ParameterUpdate {
        private final Graph graph;
        private final String param;
        private final Value value;
        private final Value gradient;
        private final Value lr;
        private final Value step;
        private final Map<String, Value> state = new LinkedHashMap<>();
        private final Map<String, Value> nextState = new LinkedHashMap<>();

        Update(Graph graph, String param, Value value, Value gradient, Value lr, Value step) {
            this.graph = graph;
            this.param = param;
            this.value = value;
            this.gradient = gradient;
            this.lr = lr;
            this.step = step;
        }

        @Override public String name() { return param.replaceFirst("^param/", ""); }
        @Override public Value parameter() { return value; }
        @Override public Value gradient() { return gradient; }
        @Override public Value learningRate() { return lr; }
        @Override public Value step() { return step; }

        @Override
        public Value state(String name, float initial) {
            String input = "state/" + param.replaceFirst("^param/", "") + "/" + name;
            if (state.containsKey(name)) {
                throw new IllegalArgumentException("optimizer state '" + name + "' declared twice");
            }
            float[] data = new float[value.shape().size()];
            Arrays.fill(data, initial);
            Value v = graph.input(input, Role.STATE, Tensor.of(value.shape(), data));
            state.put(name, v);
            return v;
        }

        @Override
        public void updateState(String name, Value next) {
            if (!state.containsKey(name)) {
                throw new IllegalArgumentException("optimizer state '" + name + "' was not declared");
            }
            nextState.put(name, next);
        }

        void finish() {
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Value> s : state.entrySet()) {
                Value next = nextState.get(s.getKey());
                if (next == null) {
                    missing.add(s.getKey());
                    continue;
                }
                String input = ((dev.theta.api.ops.Input) s.getValue().op()).name();
                graph.output(next(input), next);
                graph.carry(next(input), input);
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("optimizer declared state " + missing + " but never updated it");
            }
        }
    }
}

package dev.theta.backend.onnxruntime;

import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every trainable hypothesis × loss × optimizer of the plugin catalog on the class path, each on the first small
 * data spec the pair accepts (3 classes, 2 classes, or real targets; flat features, then 1×6×6 images) with default
 * options.
 */
final class Catalog {
    static final int FEATURES = 6;
    /** (C, H, W) features for hypotheses that take images (cnn); the others accept the flat specs first. */
    static final Shape IMAGE = Shape.of(1, 8, 8);
    private static final List<DataSpec> SPECS = List.of(
            DataSpec.classification(Shape.of(FEATURES), 3, List.of("a", "b", "c")),
            DataSpec.classification(Shape.of(FEATURES), 2, List.of("no", "yes")),
            new DataSpec(Shape.of(FEATURES), DType.FLOAT32, 0, List.of(), Shape.SCALAR),
            DataSpec.classification(IMAGE, 3, List.of("a", "b", "c")),
            DataSpec.classification(IMAGE, 2, List.of("no", "yes")),
            new DataSpec(IMAGE, DType.FLOAT32, 0, List.of(), Shape.SCALAR));

    record Combo(String name, DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer) {
        TrainingProgram program(long seed) {
            return TrainingProgram.build(data, hypothesis, loss, optimizer, seed);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Catalog() {
    }

    static List<Combo> combos() {
        PluginRegistry registry = PluginRegistry.discover(Catalog.class.getClassLoader());
        List<Combo> out = new ArrayList<>();
        for (var h : registry.all(PluginKind.HYPOTHESIS)) {
            HypothesisProvider hp = (HypothesisProvider) h.provider();
            for (var l : registry.all(PluginKind.LOSS)) {
                LossProvider lp = (LossProvider) l.provider();
                for (var o : registry.all(PluginKind.OPTIMIZER)) {
                    OptimizerProvider op = (OptimizerProvider) o.provider();
                    Combo c = combo(hp, lp, op);
                    if (c != null) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    /** Null where the plugins refuse the combination (a two-class loss on a k-score hypothesis, the 0-1 loss). */
    private static Combo combo(HypothesisProvider hp, LossProvider lp, OptimizerProvider op) {
        for (DataSpec data : SPECS) {
            try {
                Loss loss = lp.create(defaults(lp), data);
                if (loss.notTrainableReason() != null) {
                    return null;
                }
                Hypothesis h = hp.create(defaults(hp), data, loss.scores(data));
                return new Combo(hp.name() + " × " + lp.name() + " × " + op.name(), data, h, loss, op.create(defaults(op)));
            } catch (RuntimeException refused) {
                // this data spec does not suit the pair; try the next
            }
        }
        return null;
    }

    static Options defaults(Provider p) {
        return p.options().validate(Map.of(), p.name(), List.of());
    }

    /** [batch, features...] of one of the combination's batches. */
    static Shape batchShape(DataSpec data, int batch) {
        int[] dims = new int[data.featureShape().rank() + 1];
        dims[0] = batch;
        System.arraycopy(data.featureShape().dims(), 0, dims, 1, dims.length - 1);
        return Shape.of(dims);
    }

    /** Fills a batch deterministically: features in [-1, 1), class indices or real targets. */
    static void fillBatch(DataSpec data, Tensor x, Tensor y, long seed) {
        Random r = new Random(seed);
        float[] xf = x.floats();
        for (int i = 0; i < xf.length; i++) {
            xf[i] = r.nextFloat() * 2 - 1;
        }
        if (data.isClassification()) {
            long[] yl = y.longs();
            for (int i = 0; i < yl.length; i++) {
                yl[i] = r.nextInt(data.classes());
            }
        } else {
            float[] yf = y.floats();
            for (int i = 0; i < yf.length; i++) {
                yf[i] = (float) r.nextGaussian();
            }
        }
    }
}

package dev.theta.core;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.List;

/**
 * The data an experiment trains on: in-memory examples (arrays, tensors or any {@link Dataset}), or the data
 * sections of the experiment's own config ({@link #fromConfig}). Without explicit test data the config's
 * {@code data.test-fraction} (or 0.2) holds out the test split; {@code data.validation-fraction},
 * {@code stratify} and {@code standardize} apply as they do to files.
 */
public final class TrainingData {
    private final Dataset train;
    private final Dataset test;
    private final Dataset validation;

    private TrainingData(Dataset train, Dataset test, Dataset validation) {
        this.train = train;
        this.test = test;
        this.validation = validation;
    }

    /** The dataset plugins named in the experiment's {@code data} section. */
    public static TrainingData fromConfig() {
        return new TrainingData(null, null, null);
    }

    /** Classification examples: one row of features per example, and its class index in {@code 0..k-1}. */
    public static TrainingData of(float[][] features, int[] labels) {
        return of(dataset(features, labels, null, "in-memory training data"));
    }

    /** As {@link #of(float[][], int[])}, with a name for each class (index order). */
    public static TrainingData of(float[][] features, int[] labels, List<String> classNames) {
        return of(dataset(features, labels, classNames, "in-memory training data"));
    }

    /** Features {@code [n, ...]} (float32) and targets {@code [n]} (int64 class indices, or float32 values). */
    public static TrainingData of(Tensor features, Tensor targets) {
        return of(dataset(features, targets, "in-memory training data"));
    }

    /** Any dataset, such as a dataset plugin's {@code load}. */
    public static TrainingData of(Dataset train) {
        return new TrainingData(train, null, null);
    }

    /** The same training data, tested on {@code features} and {@code labels} instead of a held-out share. */
    public TrainingData withTest(float[][] features, int[] labels) {
        return withTest(dataset(features, labels, train.spec().classNames(), "in-memory test data"));
    }

    public TrainingData withTest(Dataset test) {
        return new TrainingData(train, test, validation);
    }

    /** The same training data, validated (model selection) on {@code validation} instead of a held-out share. */
    public TrainingData withValidation(Dataset validation) {
        return new TrainingData(train, test, validation);
    }

    boolean inConfig() {
        return train == null;
    }

    Dataset train() {
        return train;
    }

    Dataset test() {
        return test;
    }

    Dataset validation() {
        return validation;
    }

    static InMemoryDataset dataset(float[][] features, int[] labels, List<String> classNames, String source) {
        if (features.length != labels.length) {
            throw new ThetaException.Data(source + ": " + features.length + " rows of features but " + labels.length
                    + " labels", null);
        }
        if (features.length == 0) {
            throw new ThetaException.Data(source + ": no examples", null);
        }
        int width = features[0].length;
        float[] flat = new float[features.length * width];
        long[] y = new long[labels.length];
        int classes = 0;
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != width) {
                throw new ThetaException.Data(source + ": row " + i + " has " + features[i].length + " features, row 0 has " + width, null);
            }
            if (labels[i] < 0) {
                throw new ThetaException.Data(source + ": row " + i + " has label " + labels[i] + "; labels are class indices 0, 1, ...", null);
            }
            System.arraycopy(features[i], 0, flat, i * width, width);
            y[i] = labels[i];
            classes = Math.max(classes, labels[i] + 1);
        }
        if (classNames != null && classNames.size() < classes) {
            throw new ThetaException.Data(source + ": label " + (classes - 1) + " but only " + classNames.size() + " class names", null);
        }
        List<String> names = classNames != null ? List.copyOf(classNames)
                : InMemoryDataset.indexNames(classes);
        return InMemoryDataset.classification(Shape.of(width), flat, y, names.size(), names, source);
    }

    private static InMemoryDataset dataset(Tensor features, Tensor targets, String source) {
        if (features.shape().rank() == 0 || targets.shape().rank() == 0 || features.shape().dim(0) != targets.shape().dim(0)) {
            throw new ThetaException.Data(source + ": features " + features.shape() + " and targets " + targets.shape()
                    + " need the same leading example dimension", null);
        }
        int[] dims = features.shape().dims();
        Shape example = Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
        int[] targetDims = targets.shape().dims();
        Shape targetShape = Shape.of(java.util.Arrays.copyOfRange(targetDims, 1, targetDims.length));
        if (targets.dtype() == DType.INT64) {
            int classes = (int) java.util.Arrays.stream(targets.longs()).max().orElse(0) + 1;
            List<String> names = InMemoryDataset.indexNames(classes);
            return new InMemoryDataset(new DataSpec(example, features.dtype(), classes, names, targetShape), features, targets, source);
        }
        return new InMemoryDataset(new DataSpec(example, features.dtype(), 0, List.of(), targetShape), features, targets, source);
    }
}

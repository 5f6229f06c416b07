package dev.theta.api.data;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A dataset held in two tensors: features of shape [size, featureShape...] and targets of shape
 * [size, targetShape...] (int64 class indices for classification, float32 values otherwise).
 */
public record InMemoryDataset(DataSpec spec, Tensor features, Tensor targets, String source) implements Dataset {

    public InMemoryDataset {
        if (features.shape().rank() == 0) {
            throw new IllegalArgumentException("features need a leading example dimension, got shape " + features.shape());
        }
        int n = features.shape().dim(0);
        checkShape("features", features, withBatch(n, spec.featureShape()));
        checkShape("targets", targets, withBatch(n, spec.targetShape()));
        if (features.dtype() != spec.featureType()) {
            throw new IllegalArgumentException("features are " + features.dtype() + " but the spec says " + spec.featureType());
        }
        DType targetType = spec.isClassification() ? DType.INT64 : DType.FLOAT32;
        if (targets.dtype() != targetType) {
            throw new IllegalArgumentException("targets are " + targets.dtype() + ", expected " + targetType);
        }
    }

    /** A classification dataset from float32 features (row-major, one row per example) and int64 class indices. */
    public static InMemoryDataset classification(Shape featureShape, float[] features, long[] labels, int classes,
                                                 List<String> classNames, String source) {
        DataSpec spec = DataSpec.classification(featureShape, classes, classNames);
        int n = labels.length;
        return new InMemoryDataset(spec, Tensor.of(withBatch(n, featureShape), features), Tensor.of(Shape.of(n), labels), source);
    }

    @Override
    public int size() {
        return features.shape().dim(0);
    }

    /** Class names "0", "1", ... for data whose files name no classes. */
    public static List<String> indexNames(int classes) {
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    /** {@code inner} with a leading batch dimension of {@code n}. */
    public static Shape withBatch(int n, Shape inner) {
        int[] dims = new int[inner.rank() + 1];
        dims[0] = n;
        System.arraycopy(inner.dims(), 0, dims, 1, inner.rank());
        return Shape.of(dims);
    }

    private static void checkShape(String what, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(what + " have shape " + t.shape() + ", expected " + expected);
        }
    }
}

package dev.theta.api.spi;

import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.List;

/**
 * What a dataset holds: the shape of one example's features (without the batch dimension), their type, and the
 * targets: class indices ({@code classes > 0}) or real values ({@code classes == 0}), {@code targetShape} per example.
 * Class targets are one class per example ({@code targetShape} scalar) or one class per position of a sequence
 * ({@code targetShape} [T], as in next-token prediction: the hypothesis then gives scores [N, T, k]).
 */
public record DataSpec(Shape featureShape, DType featureType, int classes, List<String> classNames, Shape targetShape) {

    public static DataSpec classification(Shape featureShape, int classes, List<String> classNames) {
        return new DataSpec(featureShape, DType.FLOAT32, classes, List.copyOf(classNames), Shape.SCALAR);
    }

    public boolean isClassification() {
        return classes > 0;
    }

    /** Classes to predict per example: 1, or T for class targets [T]; 1 for real-valued targets. */
    public int positions() {
        return isClassification() ? targetShape.size() : 1;
    }

    /** Elements in one example's features. */
    public int featureSize() {
        return featureShape.size();
    }
}

package dev.theta.core.training;

import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

/** Copies examples of a dataset, in a given order, into an executable's feature and target inputs. */
final class Batcher {
    private final Tensor features;
    private final Tensor targets;
    private final int featureSize;
    private final int targetSize;

    Batcher(Dataset data) {
        this.features = data.features();
        this.targets = data.targets();
        this.featureSize = data.size() == 0 ? 0 : features.size() / data.size();
        this.targetSize = data.size() == 0 ? 0 : targets.size() / data.size();
    }

    /** Fills the inputs with examples {@code order[from..from+count)} (or {@code from..} when order is null). */
    void fill(Executable exec, int[] order, int from, int count) {
        fill(exec, 0, order, from, count);
    }

    /**
     * Fills minibatch {@code slot} of an executable that runs several steps per call (inputs stacked as
     * [steps, count, ...]); slot 0 is the whole input of a one-step executable.
     */
    void fill(Executable exec, int slot, int[] order, int from, int count) {
        Tensor x = exec.input(TrainingProgram.FEATURES);
        Tensor y = exec.input(TrainingProgram.TARGETS);
        int first = slot * count;
        if (order == null) {
            copyRows(x, first, features, from, count, featureSize);
            copyRows(y, first, targets, from, count, targetSize);
            return;
        }
        for (int i = 0; i < count; i++) {
            int row = order == null ? from + i : order[from + i];
            copyRow(x, first + i, features, row, featureSize);
            copyRow(y, first + i, targets, row, targetSize);
        }
    }

    private static void copyRows(Tensor dst, int dstRow, Tensor src, int srcRow, int rows, int rowSize) {
        if (src.dtype() == DType.INT64) {
            System.arraycopy(src.longs(), srcRow * rowSize, dst.longs(), dstRow * rowSize, rows * rowSize);
        } else {
            System.arraycopy(src.floats(), srcRow * rowSize, dst.floats(), dstRow * rowSize, rows * rowSize);
        }
    }

    private static void copyRow(Tensor dst, int dstRow, Tensor src, int srcRow, int rowSize) {
        if (src.dtype() == DType.INT64) {
            System.arraycopy(src.longs(), srcRow * rowSize, dst.longs(), dstRow * rowSize, rowSize);
        } else {
            System.arraycopy(src.floats(), srcRow * rowSize, dst.floats(), dstRow * rowSize, rowSize);
        }
    }
}

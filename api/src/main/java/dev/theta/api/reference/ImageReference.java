package dev.theta.api.reference;

import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.Window;

/**
 * The reference interpreter's loops for the image primitives and ScatterElements, written straight from their
 * definitions (one output or input pixel at a time, in double); dims are concrete [N, C, H, W].
 */
final class ImageReference {
    private ImageReference() {
    }

    static double[] conv(Conv op, double[] x, int[] xd, double[] w, int[] wd, int[] yd) {
        Window win = op.window();
        int perGroupIn = wd[1];
        int perGroupOut = yd[1] / op.group();
        double[] y = new double[Indexing.count(yd)];
        for (int n = 0; n < yd[0]; n++) {
            for (int o = 0; o < yd[1]; o++) {
                int firstChannel = o / perGroupOut * perGroupIn;
                for (int i = 0; i < yd[2]; i++) {
                    for (int j = 0; j < yd[3]; j++) {
                        double s = 0;
                        for (int c = 0; c < perGroupIn; c++) {
                            for (int a = 0; a < wd[2]; a++) {
                                int h = i * win.strideH() + a * win.dilationH() - win.padTop();
                                for (int b = 0; b < wd[3]; b++) {
                                    int v = j * win.strideW() + b * win.dilationW() - win.padLeft();
                                    if (h >= 0 && h < xd[2] && v >= 0 && v < xd[3]) {
                                        s += x[Indexing.ravel(new int[] {n, firstChannel + c, h, v}, xd)]
                                                * w[Indexing.ravel(new int[] {o, c, a, b}, wd)];
                                    }
                                }
                            }
                        }
                        y[Indexing.ravel(new int[] {n, o, i, j}, yd)] = s;
                    }
                }
            }
        }
        return y;
    }

    static double[] convTranspose(ConvTranspose op, double[] x, int[] xd, double[] w, int[] wd, int[] yd) {
        Window win = op.window();
        int perGroupIn = xd[1] / op.group();
        int perGroupOut = wd[1];
        double[] y = new double[Indexing.count(yd)];
        for (int n = 0; n < xd[0]; n++) {
            for (int c = 0; c < xd[1]; c++) {
                int firstOut = c / perGroupIn * perGroupOut;
                for (int i = 0; i < xd[2]; i++) {
                    for (int j = 0; j < xd[3]; j++) {
                        double value = x[Indexing.ravel(new int[] {n, c, i, j}, xd)];
                        for (int o = 0; o < perGroupOut; o++) {
                            for (int a = 0; a < wd[2]; a++) {
                                int h = i * win.strideH() + a * win.dilationH() - win.padTop();
                                for (int b = 0; b < wd[3]; b++) {
                                    int v = j * win.strideW() + b * win.dilationW() - win.padLeft();
                                    if (h >= 0 && h < yd[2] && v >= 0 && v < yd[3]) {
                                        y[Indexing.ravel(new int[] {n, firstOut + o, h, v}, yd)] +=
                                                value * w[Indexing.ravel(new int[] {c, o, a, b}, wd)];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /**
     * The first maximum of each window wins, the window's first pixel where none is larger (NaN); its value, or its
     * flat position in x with {@code op.indices()}.
     */
    static double[] maxPool(MaxPool op, double[] x, int[] xd, int[] yd) {
        Window win = op.window();
        double[] y = new double[Indexing.count(yd)];
        for (int p = 0; p < y.length; p++) {
            int[] idx = Indexing.unravel(p, yd);
            double best = Double.NaN;
            int at = -1;
            for (int a = 0; a < op.kernelH(); a++) {
                int h = idx[2] * win.strideH() + a * win.dilationH() - win.padTop();
                for (int b = 0; b < op.kernelW(); b++) {
                    int v = idx[3] * win.strideW() + b * win.dilationW() - win.padLeft();
                    if (h >= 0 && h < xd[2] && v >= 0 && v < xd[3]) {
                        int q = Indexing.ravel(new int[] {idx[0], idx[1], h, v}, xd);
                        if (at < 0 || x[q] > best) {
                            best = x[q];
                            at = q;
                        }
                    }
                }
            }
            y[p] = op.indices() ? at : best;
        }
        return y;
    }

    static double[] averagePool(AveragePool op, double[] x, int[] xd, int[] yd) {
        Window win = op.window();
        double[] y = new double[Indexing.count(yd)];
        for (int p = 0; p < y.length; p++) {
            int[] idx = Indexing.unravel(p, yd);
            double sum = 0;
            int inside = 0;
            for (int a = 0; a < op.kernelH(); a++) {
                int h = idx[2] * win.strideH() + a - win.padTop();
                for (int b = 0; b < op.kernelW(); b++) {
                    int v = idx[3] * win.strideW() + b - win.padLeft();
                    if (h >= 0 && h < xd[2] && v >= 0 && v < xd[3]) {
                        sum += x[Indexing.ravel(new int[] {idx[0], idx[1], h, v}, xd)];
                        inside++;
                    }
                }
            }
            y[p] = sum / (op.countIncludePad() ? op.kernelH() * op.kernelW() : inside);
        }
        return y;
    }

    static double[] scatterAdd(double[] data, int[] dd, int axis, double[] indices, int[] id, double[] updates) {
        double[] y = data.clone();
        for (int p = 0; p < indices.length; p++) {
            int[] idx = Indexing.unravel(p, id);
            double k = indices[p];
            if (k < 0 || k >= dd[axis] || k != Math.rint(k)) {
                throw new IllegalArgumentException("ScatterElements index " + k + " out of range [0, " + dd[axis] + ")");
            }
            idx[axis] = (int) k;
            y[Indexing.ravel(idx, dd)] += updates[p];
        }
        return y;
    }
}

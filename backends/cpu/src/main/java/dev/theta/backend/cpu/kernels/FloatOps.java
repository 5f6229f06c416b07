package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.UnaryFn;

/**
 * Float loops of the unary and binary functions and comparisons for the three row layouts a broadcast produces:
 * vector with vector, vector with scalar, scalar with vector. The switch sits outside each loop so that every loop is
 * a plain counted loop C2 can vectorise, and every array in a loop is indexed at one common offset: C2 (through JDK
 * 25 at least) does not vectorise a loop whose arrays may be one array at two different offsets, which made these
 * loops run scalar (~5× slower) while they took one offset per operand. Callers with operands at different offsets
 * copy them into aligned scratch rows first (see {@link BinaryKernel}).
 */
final class FloatOps {
    private FloatOps() {
    }

    static void unary(UnaryFn fn, float[] x, float[] y, int off, int n) {
        switch (fn) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = -x[off + i];
                }
            }
            case EXP -> {
                if (VectorApi.AVAILABLE) {
                    VectorMath.exp(x, y, off, n);
                    return;
                }
                for (int i = 0; i < n; i++) {
                    y[off + i] = (float) Math.exp(x[off + i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = (float) Math.log(x[off + i]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = (float) Math.sqrt(x[off + i]);
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = Math.abs(x[off + i]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = Math.signum(x[off + i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = Math.max(x[off + i], 0f);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = (float) Math.tanh(x[off + i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[off + i] = (float) (1 / (1 + Math.exp(-x[off + i])));
                }
            }
            case ERF -> {
                if (VectorApi.AVAILABLE) {
                    VectorMath.erf(x, y, off, n);
                    return;
                }
                for (int i = 0; i < n; i++) {
                    y[off + i] = Erf.erf(x[off + i]);
                }
            }
        }
    }

    static void vv(BinaryFn fn, float[] a, float[] b, float[] o, int off, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] + b[off + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] - b[off + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] * b[off + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] / b[off + i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = (float) Math.pow(a[off + i], b[off + i]);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.max(a[off + i], b[off + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.min(a[off + i], b[off + i]);
                }
            }
        }
    }

    static void vs(BinaryFn fn, float[] a, float y, float[] o, int off, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] + y;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] - y;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] * y;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] / y;
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = (float) Math.pow(a[off + i], y);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.max(a[off + i], y);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.min(a[off + i], y);
                }
            }
        }
    }

    static void sv(BinaryFn fn, float x, float[] b, float[] o, int off, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x + b[off + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x - b[off + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x * b[off + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x / b[off + i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = (float) Math.pow(x, b[off + i]);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.max(x, b[off + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = Math.min(x, b[off + i]);
                }
            }
        }
    }

    static void compareVV(CompareFn fn, float[] a, float[] b, float[] o, int off, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] < b[off + i] ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] > b[off + i] ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] == b[off + i] ? 1f : 0f;
                }
            }
        }
    }

    static void compareVS(CompareFn fn, float[] a, float y, float[] o, int off, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] < y ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] > y ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = a[off + i] == y ? 1f : 0f;
                }
            }
        }
    }

    static void compareSV(CompareFn fn, float x, float[] b, float[] o, int off, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x < b[off + i] ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x > b[off + i] ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[off + i] = x == b[off + i] ? 1f : 0f;
                }
            }
        }
    }

    /** {@code cond ? a : b} elementwise. */
    static void where(float[] c, float[] a, float[] b, float[] o, int off, int n) {
        for (int i = 0; i < n; i++) {
            o[off + i] = c[off + i] != 0 ? a[off + i] : b[off + i];
        }
    }

    /** 1 where x is nonzero, else 0 (float32 to bool). */
    static void toBool(float[] x, float[] o, int off, int n) {
        for (int i = 0; i < n; i++) {
            o[off + i] = x[off + i] != 0 ? 1f : 0f;
        }
    }
}

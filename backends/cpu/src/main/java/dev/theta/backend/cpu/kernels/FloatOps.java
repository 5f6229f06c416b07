package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;

/**
 * Float loops of the binary functions and comparisons for the three row layouts a broadcast produces: vector with
 * vector, vector with scalar, scalar with vector. The switch sits outside each loop so that every loop is a plain
 * counted loop C2 can vectorise.
 */
final class FloatOps {
    private FloatOps() {
    }

    static void vv(BinaryFn fn, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] / b[bo + i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.pow(a[ao + i], b[bo + i]);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i], b[bo + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(a[ao + i], b[bo + i]);
                }
            }
        }
    }

    static void vs(BinaryFn fn, float[] a, int ao, float y, float[] o, int oo, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] + y;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] - y;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] * y;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] / y;
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.pow(a[ao + i], y);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(a[ao + i], y);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(a[ao + i], y);
                }
            }
        }
    }

    static void sv(BinaryFn fn, float x, float[] b, int bo, float[] o, int oo, int n) {
        switch (fn) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x / b[bo + i];
                }
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.pow(x, b[bo + i]);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.max(x, b[bo + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.min(x, b[bo + i]);
                }
            }
        }
    }

    static void compareVV(CompareFn fn, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] < b[bo + i] ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] > b[bo + i] ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] == b[bo + i] ? 1f : 0f;
                }
            }
        }
    }

    static void compareVS(CompareFn fn, float[] a, int ao, float y, float[] o, int oo, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] < y ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] > y ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = a[ao + i] == y ? 1f : 0f;
                }
            }
        }
    }

    static void compareSV(CompareFn fn, float x, float[] b, int bo, float[] o, int oo, int n) {
        switch (fn) {
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x < b[bo + i] ? 1f : 0f;
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x > b[bo + i] ? 1f : 0f;
                }
            }
            case EQUAL -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i] = x == b[bo + i] ? 1f : 0f;
                }
            }
        }
    }
}

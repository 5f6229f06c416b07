package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;

/** The int64 counterparts of {@link FloatOps}: Add, Sub, Mul, Max, Min and the comparisons (which give bool floats). */
final class LongOps {
    private LongOps() {
    }

    static void vv(BinaryFn fn, long[] a, int ao, long[] b, int bo, long[] o, int oo, int n) {
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
            default -> throw new IllegalArgumentException(fn.onnxName() + " is not defined for int64");
        }
    }

    static void vs(BinaryFn fn, long[] a, int ao, long y, long[] o, int oo, int n) {
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
            default -> throw new IllegalArgumentException(fn.onnxName() + " is not defined for int64");
        }
    }

    static void sv(BinaryFn fn, long x, long[] b, int bo, long[] o, int oo, int n) {
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
            default -> throw new IllegalArgumentException(fn.onnxName() + " is not defined for int64");
        }
    }

    static void compareVV(CompareFn fn, long[] a, int ao, long[] b, int bo, float[] o, int oo, int n) {
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

    static void compareVS(CompareFn fn, long[] a, int ao, long y, float[] o, int oo, int n) {
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

    static void compareSV(CompareFn fn, long x, long[] b, int bo, float[] o, int oo, int n) {
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

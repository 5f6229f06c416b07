package dev.theta.api.reference;

import dev.theta.api.ops.Binary;
import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.Concat;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.GatherElements;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.OneHot;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.EyeLike;
import dev.theta.api.ops.Slice;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.UnaryFn;
import dev.theta.api.ops.Where;
import dev.theta.api.reference.PrimitiveCase.Body;
import dev.theta.api.reference.PrimitiveCase.Domain;
import dev.theta.api.reference.PrimitiveCase.InputSpec;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.theta.api.reference.CaseInputs.*;

/**
 * The table of primitive test cases: for every primitive and every row of its function enum, small graphs with
 * sizes drawn from a seeded {@link Random} (so the table is the same on every run), covering broadcasting
 * ([N,a] op [a], [b,1,c] op [a,1], scalar op tensor, a [t,t] mask against [N,h,t,t]), keepDims both ways,
 * negative axes, symbolic batch dimensions, and the last axis of rank-3 and rank-4 values as attention reduces it.
 * Inputs come from each primitive's domain: positive for log, sqrt and a pow base, away from zero for relu, abs
 * and sign, away from each other for max and min, so that finite differences are valid.
 */
public final class PrimitiveCases extends CaseTable {
    private static final long SEED = 0x7E7A_2024L;
    private static final int N = Shape.BATCH;

    private static final List<PrimitiveCase> ALL = Stream.of(new PrimitiveCases().build(), AttentionCases.all(),
            ImageCases.all()).flatMap(List::stream).toList();

    private PrimitiveCases() {
        super(new Random(SEED));
    }

    /** Every case, in a fixed order. */
    public static List<PrimitiveCase> all() {
        return ALL;
    }

    /** The cases of one primitive class, or of one enum row. */
    public static List<PrimitiveCase> covering(Object opClassOrRow) {
        return ALL.stream().filter(c -> c.op() == opClassOrRow || c.row() == opClassOrRow).toList();
    }

    private List<PrimitiveCase> build() {
        unary();
        binary();
        compare();
        where();
        reduce();
        logSoftmax();
        matMul();
        gather();
        gatherElements();
        oneHot();
        transpose();
        reshape();
        expand();
        concat();
        slice();
        cast();
        size();
        eyeLike();
        constant();
        input();
        randomBits();
        return cases();
    }

    private void unary() {
        for (UnaryFn fn : UnaryFn.values()) {
            Domain d = switch (fn) {
                case LOG, SQRT -> POSITIVE;
                case ABS, RELU, SIGN -> AWAY_FROM_ZERO;
                default -> ANY;
            };
            Body body = (g, in) -> g.apply(new Unary(fn), in.get(0));
            add(fn.onnxName(), Unary.class, fn, "", body, f("x", d, N, dim()));
            add(fn.onnxName(), Unary.class, fn, "", body, f("x", d, dim(), dim(), dim()));
            add(fn.onnxName(), Unary.class, fn, "", body, f("x", d));
        }
    }

    private void binary() {
        for (BinaryFn fn : BinaryFn.values()) {
            Domain da = switch (fn) {
                case POW -> POSITIVE;
                case MAX, MIN -> GRID;
                default -> ANY;
            };
            Domain db = switch (fn) {
                case DIV -> AWAY_FROM_ZERO;
                case MAX, MIN -> GRID_OFFSET;
                default -> ANY;
            };
            Body body = (g, in) -> g.apply(new Binary(fn), in.get(0), in.get(1));
            String label = fn.onnxName();
            int a = dim();
            int b = dim();
            int c = dim();
            add(label, Binary.class, fn, "", body, f("a", da, N, a), f("b", db, a));
            add(label, Binary.class, fn, "", body, f("a", da, b, 1, c), f("b", db, a, 1));
            add(label, Binary.class, fn, "", body, f("a", da), f("b", db, a, b));
            add(label, Binary.class, fn, "", body, f("a", da, a, b), f("b", db));
            add(label, Binary.class, fn, "", body, f("a", da, N, a), f("b", db, N, a));
            add(label, Binary.class, fn, "", body, f("a", da, N, 1), f("b", db, 1, a));
            add(label, Binary.class, fn, "", body, f("a", da, Shape.batchTimes(2)), f("b", db, 1));
            if (fn != BinaryFn.DIV && fn != BinaryFn.POW) {
                add(label, Binary.class, fn, "", body, i64("a", SMALL_INTS, N, a), i64("b", SMALL_INTS, a));
            }
            if (fn == BinaryFn.MAX || fn == BinaryFn.MIN) {
                addRough(label, Binary.class, fn, "ties", body, f("a", SMALL_INTS, a, b), f("b", SMALL_INTS, b));
            }
        }
    }

    private void compare() {
        for (CompareFn fn : CompareFn.values()) {
            Body body = (g, in) -> g.apply(new Compare(fn), in.get(0), in.get(1));
            String label = fn.onnxName();
            int a = dim();
            int b = dim();
            if (fn == CompareFn.EQUAL) {
                addRough(label, Compare.class, fn, "ties", body, f("a", SMALL_INTS, N, a), f("b", SMALL_INTS, a));
                addRough(label, Compare.class, fn, "ties", body, f("a", SMALL_INTS, b, 1, a), f("b", SMALL_INTS, a));
            } else {
                add(label, Compare.class, fn, "", body, f("a", GRID, N, a), f("b", GRID_OFFSET, a));
                add(label, Compare.class, fn, "", body, f("a", GRID, b, 1, a), f("b", GRID_OFFSET, a, 1));
            }
            add(label, Compare.class, fn, "", body, i64("a", SMALL_INTS, a, b), i64("b", SMALL_INTS));
        }
    }

    private void where() {
        Body body = (g, in) -> in.get(0).where(in.get(1), in.get(2));
        int a = dim();
        int b = dim();
        add("Where", Where.class, null, "", body, bool("c", N, a), f("a", ANY, N, a), f("b", ANY, a));
        add("Where", Where.class, null, "", body, bool("c", a), f("a", ANY, N, 1), f("b", ANY));
        add("Where", Where.class, null, "", body, bool("c"), f("a", ANY, a, b), f("b", ANY, a, b));
        add("Where", Where.class, null, "", body, bool("c", b, 1), i64("a", SMALL_INTS, a), i64("b", SMALL_INTS, b, a));
        int t = dim();
        add("Where", Where.class, null, "causal mask", body, bool("c", t, t), f("a", ANY, N, a, t, t), f("b", ANY));
    }

    private void reduce() {
        for (ReduceFn fn : ReduceFn.values()) {
            String label = fn.onnxName();
            int a = dim();
            int b = dim();
            int c = dim();
            reduceCase(fn, label, new int[] {1}, false, f("x", ANY, N, a));
            reduceCase(fn, label, new int[] {1}, true, f("x", ANY, N, a));
            reduceCase(fn, label, new int[] {-1}, false, f("x", ANY, N, a));
            reduceCase(fn, label, new int[] {0, 2}, true, f("x", ANY, a, b, c));
            reduceCase(fn, label, new int[] {0, 2}, false, f("x", ANY, a, b, c));
            reduceCase(fn, label, new int[] {0}, false, f("x", ANY, N, a));
            reduceCase(fn, label, new int[] {0, 1}, false, f("x", ANY, a, b));
            reduceCase(fn, label, new int[] {-2}, true, f("x", ANY, N, a, b));
            reduceCase(fn, label, new int[] {-1}, true, f("x", ANY, N, a, b, c));
            reduceCase(fn, label, new int[] {2}, false, f("x", ANY, a, N, b));
        }
        addRough("ReduceMax", Reduce.class, ReduceFn.MAX, "axes=[1] keepDims=false ties",
                (g, in) -> in.get(0).reduce(ReduceFn.MAX, new int[] {1}, false), f("x", SMALL_INTS, dim(), 5));
    }

    private void reduceCase(ReduceFn fn, String label, int[] axes, boolean keepDims, InputSpec x) {
        add(label, Reduce.class, fn, "axes=" + Arrays.toString(axes) + " keepDims=" + keepDims,
                (g, in) -> in.get(0).reduce(fn, axes, keepDims), x);
    }

    private void logSoftmax() {
        int a = dim();
        int b = dim();
        int c = dim();
        for (int axis : new int[] {1, -1, 0}) {
            add("LogSoftmax", LogSoftmax.class, null, "axis=" + axis, (g, in) -> in.get(0).logSoftmax(axis), f("x", ANY, N, a));
        }
        add("LogSoftmax", LogSoftmax.class, null, "axis=1", (g, in) -> in.get(0).logSoftmax(1), f("x", ANY, a, b, c));
        add("LogSoftmax", LogSoftmax.class, null, "axis=-1", (g, in) -> in.get(0).logSoftmax(-1), f("x", ANY, N, a, b, c));
        add("LogSoftmax", LogSoftmax.class, null, "axis=2", (g, in) -> in.get(0).logSoftmax(2), f("x", ANY, a, N, b));
    }

    private void matMul() {
        Body body = (g, in) -> in.get(0).matmul(in.get(1));
        int a = dim();
        int b = dim();
        int c = dim();
        add("MatMul", MatMul.class, null, "", body, f("a", ANY, N, a), f("b", ANY, a, b));
        add("MatMul", MatMul.class, null, "", body, f("a", ANY, a, b), f("b", ANY, b, c));
        add("MatMul", MatMul.class, null, "inner batch", body, f("a", ANY, a, N), f("b", ANY, N, b));
        add("MatMul", MatMul.class, null, "", body, f("a", ANY, 1, a), f("b", ANY, a, 1));
    }

    private void gather() {
        Body body = (g, in) -> in.get(0).gather(in.get(1));
        int rows = dim() + 1;
        int a = dim();
        int b = dim();
        add("Gather", Gather.class, null, "", body, f("data", ANY, rows, a), i64("indices", indices(rows), N));
        add("Gather", Gather.class, null, "", body, f("data", ANY, rows), i64("indices", indices(rows), a, b));
        add("Gather", Gather.class, null, "", body, f("data", ANY, rows, a, b), i64("indices", indices(rows), N, 2));
        add("Gather", Gather.class, null, "repeated rows", body, f("data", ANY, rows, a),
                i64("indices", indices(rows), rows + 2));
    }

    private void gatherElements() {
        int a = dim();
        int b = dim();
        int c = dim();
        add("GatherElements", GatherElements.class, null, "axis=1", (g, in) -> in.get(0).gatherElements(in.get(1), 1),
                f("data", ANY, N, a), i64("indices", indices(a), N, 1));
        add("GatherElements", GatherElements.class, null, "axis=-1", (g, in) -> in.get(0).gatherElements(in.get(1), -1),
                f("data", ANY, N, a), i64("indices", indices(a), N, 3));
        add("GatherElements", GatherElements.class, null, "axis=0", (g, in) -> in.get(0).gatherElements(in.get(1), 0),
                f("data", ANY, a, b), i64("indices", indices(a), c, b));
        add("GatherElements", GatherElements.class, null, "axis=1", (g, in) -> in.get(0).gatherElements(in.get(1), 1),
                f("data", ANY, a, b, c), i64("indices", indices(b), a, 2, c));
    }

    private void oneHot() {
        int depth = dim() + 1;
        add("OneHot", OneHot.class, null, "depth=" + depth, (g, in) -> in.get(0).oneHot(depth), i64("indices", indices(depth), N));
        add("OneHot", OneHot.class, null, "depth=" + depth, (g, in) -> in.get(0).oneHot(depth),
                i64("indices", indices(depth), dim(), dim()));
    }

    private void transpose() {
        int a = dim();
        int b = dim();
        int c = dim();
        transposeCase(new int[] {1, 0}, f("x", ANY, N, a));
        transposeCase(new int[] {2, 0, 1}, f("x", ANY, a, b, c));
        transposeCase(new int[] {0, 2, 1}, f("x", ANY, N, b, c));
        transposeCase(new int[] {0, 1}, f("x", ANY, a, b));
    }

    private void transposeCase(int[] perm, InputSpec x) {
        add("Transpose", Transpose.class, null, "perm=" + Arrays.toString(perm), (g, in) -> in.get(0).transpose(perm), x);
    }

    private void reshape() {
        int a = dim();
        int b = dim();
        int c = dim();
        reshapeCase(Shape.of(N, a, b), f("x", ANY, N, a * b));
        reshapeCase(Shape.of(Shape.batchTimes(a)), f("x", ANY, N, a));
        reshapeCase(Shape.of(a * b, c), f("x", ANY, a, b, c));
        reshapeCase(Shape.of(1), f("x", ANY));
        reshapeCase(Shape.of(N, b), i64("x", SMALL_INTS, Shape.batchTimes(b)));
    }

    private void reshapeCase(Shape target, InputSpec x) {
        add("Reshape", Reshape.class, null, "to " + target, (g, in) -> g.apply(new Reshape(target), in.get(0)), x);
    }

    private void expand() {
        int a = dim();
        int b = dim();
        int c = dim();
        expandCase(Shape.of(N, a), f("x", ANY, a));
        expandCase(Shape.of(b, a, c), f("x", ANY, b, 1, c));
        expandCase(Shape.of(a, b), f("x", ANY));
        expandCase(Shape.of(N, a), f("x", ANY, N, 1));
        expandCase(Shape.of(a, b), bool("x", 1, b));
    }

    private void expandCase(Shape target, InputSpec x) {
        add("Expand", Expand.class, null, "to " + target, (g, in) -> g.apply(new Expand(target), in.get(0)), x);
    }

    private void concat() {
        int a = dim();
        int b = dim();
        int c = dim();
        int d = dim();
        add("Concat", Concat.class, null, "axis=1", (g, in) -> in.get(0).concat(1, in.subList(1, 2)),
                f("a", ANY, N, a), f("b", ANY, N, b));
        add("Concat", Concat.class, null, "axis=0", (g, in) -> in.get(0).concat(0, in.subList(1, 3)),
                f("a", ANY, a, b), f("b", ANY, c, b), f("c", ANY, d, b));
        add("Concat", Concat.class, null, "axis=-1", (g, in) -> in.get(0).concat(-1, in.subList(1, 2)),
                f("a", ANY, a, b, c), f("b", ANY, a, b, d));
        add("Concat", Concat.class, null, "axis=1", (g, in) -> in.get(0).concat(1, in.subList(1, 2)),
                i64("a", SMALL_INTS, N, a), i64("b", SMALL_INTS, N, b));
        add("Concat", Concat.class, null, "axis=0 one input", (g, in) -> in.get(0).concat(0, List.of()), f("a", ANY, a, b));
    }

    private void slice() {
        int a = dim();
        int b = dim();
        int c = dim();
        sliceCase(1, 1, 3, f("x", ANY, N, 5));
        sliceCase(0, 0, 1, f("x", ANY, a, b));
        sliceCase(-1, 1, c, f("x", ANY, a, b, c));
        sliceCase(0, 0, a, f("x", ANY, a, b));
        sliceCase(1, 1, b, i64("x", SMALL_INTS, N, b));
    }

    private void sliceCase(int axis, int start, int end, InputSpec x) {
        add("Slice", Slice.class, null, "axis=" + axis + " [" + start + ", " + end + ")",
                (g, in) -> in.get(0).slice(axis, start, end), x);
    }

    private void cast() {
        int a = dim();
        int b = dim();
        castCase(DType.INT64, true, f("x", AWAY_FROM_INTEGERS, N, a));
        castCase(DType.BOOL, false, f("x", SOME_ZEROS, a, b));
        castCase(DType.FLOAT32, true, f("x", ANY, N, a));
        castCase(DType.FLOAT32, true, i64("x", SMALL_INTS, N, a));
        castCase(DType.FLOAT32, true, bool("x", a, b));
        castCase(DType.INT64, true, bool("x", a));
        castCase(DType.BOOL, true, i64("x", SMALL_INTS, N, b));
    }

    private void castCase(DType to, boolean smooth, InputSpec x) {
        Body body = (g, in) -> g.apply(new Cast(to), in.get(0));
        if (smooth) {
            add("Cast", Cast.class, null, "to " + to, body, x);
        } else {
            addRough("Cast", Cast.class, null, "to " + to, body, x);
        }
    }

    private void eyeLike() {
        Body body = (g, in) -> in.get(0).eyeLike();
        add("EyeLike", EyeLike.class, null, "", body, f("x", ANY, N, N));
        add("EyeLike", EyeLike.class, null, "", body, f("x", ANY, dim(), dim()));
        add("EyeLike", EyeLike.class, null, "", body, i64("x", SMALL_INTS, N, dim()));
    }

    private void size() {
        Body body = (g, in) -> in.get(0).size();
        add("Size", Size.class, null, "", body, f("x", ANY, N, dim()));
        add("Size", Size.class, null, "", body, i64("x", SMALL_INTS, dim(), Shape.batchTimes(2)));
        add("Size", Size.class, null, "", body, f("x", ANY));
    }

    private void constant() {
        int a = dim();
        int b = dim();
        Tensor floats = Tensor.of(Shape.of(a, b), floats(a * b));
        Tensor longs = Tensor.of(Shape.of(a), longs(a));
        Tensor row = Tensor.of(Shape.of(a), floats(a));
        Tensor bools = Tensor.wrap(DType.BOOL, Shape.of(2), new float[] {1, 0});
        add("Constant", Constant.class, null, "float32" + floats.shape(), (g, in) -> g.constant(floats));
        add("Constant", Constant.class, null, "int64" + longs.shape(), (g, in) -> g.constant(longs));
        add("Constant", Constant.class, null, "bool" + bools.shape(), (g, in) -> g.constant(bools));
        add("Constant", Constant.class, null, "x * constant" + row.shape(), (g, in) -> in.get(0).mul(g.constant(row)),
                f("x", ANY, N, a));
    }

    private void input() {
        Body identity = (g, in) -> in.get(0);
        add("Input", Input.class, null, "", identity, f("x", ANY, N, dim()));
        add("Input", Input.class, null, "", identity, f("x", ANY));
        add("Input", Input.class, null, "", identity, i64("x", SMALL_INTS, N));
        add("Input", Input.class, null, "", identity, bool("x", dim()));
    }

    private void randomBits() {
        long stream = RandomBits.stream(SEED, 0);
        Body body = (g, in) -> in.get(0).randomBits(stream, in.get(1));
        add("RandomBits", RandomBits.class, null, "", body, f("x", ANY, N, dim()), i64("counter", SMALL_INTS));
        add("RandomBits", RandomBits.class, null, "", body, i64("x", SMALL_INTS, dim(), dim(), dim()),
                i64("counter", SMALL_INTS));
        add("RandomBits", RandomBits.class, null, "", body, f("x", ANY), i64("counter", SMALL_INTS));
    }
}

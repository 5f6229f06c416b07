package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.UnaryFn;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated fused loops compute exactly what the tiled interpreter computes, and only for ops that allow it. */
class LoopGeneratorTest {
    private static final UnaryFn[] UNARY = {UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQRT, UnaryFn.SIGN, UnaryFn.RELU};
    private static final BinaryFn[] BINARY = {BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAX, BinaryFn.MIN};
    private static final CompareFn[] COMPARE = {CompareFn.GREATER, CompareFn.LESS};
    /** Values where comparisons written without a select could go wrong. */
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f};

    /** A random chain over {@code inputs} full-size slots and two scalars; every value is stored to its own slot. */
    private record Chain(List<Buf> inputs, List<Buf> scalars, List<Buf> outputs, FusedKernel kernel) {
    }

    private static Chain chain(long seed, int size, boolean tilesOnly) {
        Random r = new Random(seed);
        FusedKernel.Builder b = new FusedKernel.Builder(size);
        if (tilesOnly) {
            b.tilesOnly();
        }
        List<Buf> inputs = new ArrayList<>();
        List<Buf> scalars = new ArrayList<>();
        List<Buf> outputs = new ArrayList<>();
        List<Integer> handles = new ArrayList<>();
        Random data = new Random(seed * 31 + size);
        for (int i = 0; i < 3; i++) {
            float[] values = new float[size];
            for (int j = 0; j < size; j++) {
                // NaN, infinities, signed zeros, extremes and ties exercise every corner of the generated ops.
                values[j] = j % 5 == 0 ? SPECIAL[data.nextInt(SPECIAL.length)] : (float) (data.nextGaussian() * 3);
            }
            Buf in = Buf.of(Tensor.of(Shape.of(size), values));
            inputs.add(in);
            handles.add(b.load(in));
        }
        for (int i = 0; i < 2; i++) {
            Buf s = Buf.of(Tensor.of(Shape.SCALAR, (float) (data.nextGaussian() + 0.5)));
            scalars.add(s);
            handles.add(b.scalar(s));
        }
        for (int op = 0; op < 14; op++) {
            int out = b.register();
            int x = handles.get(r.nextInt(handles.size()));
            int kind = r.nextInt(4);
            if (kind == 0) {
                b.unary(UNARY[r.nextInt(UNARY.length)], x < 0 ? handles.get(0) : x, out);
            } else if (kind == 1) {
                b.compare(COMPARE[r.nextInt(COMPARE.length)], x, handles.get(r.nextInt(handles.size())), out);
            } else {
                b.binary(BINARY[r.nextInt(BINARY.length)], x, handles.get(r.nextInt(handles.size())), out);
            }
            Buf o = Buf.zeros(DType.FLOAT32, Shape.of(size));
            b.store(out, o);
            outputs.add(o);
            handles.add(out);
        }
        return new Chain(inputs, scalars, outputs, b.build());
    }

    @ParameterizedTest(name = "{0} elements")
    @ValueSource(ints = {1, 7, 1023, 1024, 1025, 5000})
    void generatedLoopsAreBitIdenticalToTiles(int size) {
        for (long seed = 0; seed < 20; seed++) {
            Chain tiled = chain(seed, size, true);
            Chain generated = chain(seed, size, false);
            assertFalse(tiled.kernel().generated());
            assertTrue(generated.kernel().generated(), "chain " + seed + " uses only generated ops");
            tiled.kernel().run();
            generated.kernel().run();
            for (int o = 0; o < tiled.outputs().size(); o++) {
                assertArrayEquals(tiled.outputs().get(o).floats(), generated.outputs().get(o).floats(),
                        "chain " + seed + ", value " + o);
            }
        }
    }

    @ParameterizedTest(name = "{0} elements")
    @ValueSource(ints = {1, 1000, 1025, 70_000})
    void longChainsRunInSegmentsThatGiveTheSameBits(int size) {
        // Adam's update as the compiler emits it: loads at first use, stores right after each value.
        for (boolean inPlace : new boolean[] {false, true}) {
            Chain[] runs = new Chain[2];
            for (int t = 0; t < 2; t++) {
                runs[t] = adamLike(size, t == 0, inPlace);
                runs[t].kernel().run();
            }
            assertTrue(runs[1].kernel().segments() > 1, runs[1].kernel().describe());
            for (int o = 0; o < runs[0].outputs().size(); o++) {
                assertArrayEquals(runs[0].outputs().get(o).floats(), runs[1].outputs().get(o).floats(),
                        "value " + o + (inPlace ? ", the moment stored over the gradient it read" : ""));
            }
        }
    }

    /**
     * m' = 0.9 m + 0.1 g, v' = 0.999 v + 0.001 g², p' = p − 0.01 m' / (√v' + ε), each flushed as the optimizers do;
     * {@code inPlace} stores m' into g's array, which the segments read again later (they must not, then).
     */
    private static Chain adamLike(int size, boolean tilesOnly, boolean inPlace) {
        FusedKernel.Builder b = new FusedKernel.Builder(size).threads(2);
        if (tilesOnly) {
            b.tilesOnly();
        }
        Random data = new Random(size);
        List<Buf> in = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] values = new float[size];
            for (int j = 0; j < size; j++) {
                values[j] = j % 7 == 0 ? SPECIAL[data.nextInt(SPECIAL.length)] : (float) data.nextGaussian();
            }
            in.add(Buf.of(Tensor.of(Shape.of(size), values)));
        }
        float[] constants = {0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 1e-8f, Float.MIN_NORMAL};
        int[] c = new int[constants.length];
        List<Buf> scalars = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            Buf s = Buf.of(Tensor.of(Shape.SCALAR, constants[i]));
            scalars.add(s);
            c[i] = b.scalar(s);
        }
        List<Buf> out = new ArrayList<>();
        int m = b.load(in.get(0));
        int g = b.load(in.get(1));
        int m1 = flushed(b, b2(b, BinaryFn.ADD, b2(b, BinaryFn.MUL, m, c[0]), b2(b, BinaryFn.MUL, g, c[1])), c[6]);
        Buf mOut = inPlace ? in.get(1) : Buf.zeros(DType.FLOAT32, Shape.of(size));
        b.store(m1, mOut);
        out.add(mOut);
        int v = b.load(in.get(2));
        int gg = b2(b, BinaryFn.MUL, g, g);
        int v1 = flushed(b, b2(b, BinaryFn.ADD, b2(b, BinaryFn.MUL, v, c[2]), b2(b, BinaryFn.MUL, gg, c[3])), c[6]);
        Buf vOut = Buf.zeros(DType.FLOAT32, Shape.of(size));
        b.store(v1, vOut);
        out.add(vOut);
        int r = b.register();
        b.unary(UnaryFn.SQRT, v1, r);
        int step = b2(b, BinaryFn.MUL, c[4], b2(b, BinaryFn.DIV, m1, b2(b, BinaryFn.ADD, r, c[5])));
        // g read once more after m' is stored: from g's slot, which in place is m' itself.
        int p1 = b2(b, BinaryFn.SUB, b2(b, BinaryFn.SUB, b.load(in.get(3)), step), g);
        Buf pOut = Buf.zeros(DType.FLOAT32, Shape.of(size));
        b.store(p1, pOut);
        out.add(pOut);
        return new Chain(in, scalars, out, b.build());
    }

    private static int b2(FusedKernel.Builder b, BinaryFn fn, int x, int y) {
        int out = b.register();
        b.binary(fn, x, y, out);
        return out;
    }

    /** a · sign(relu(|a| − min)), as UpdateTerms.flushSubnormal. */
    private static int flushed(FusedKernel.Builder b, int a, int min) {
        int abs = b.register();
        b.unary(UnaryFn.ABS, a, abs);
        int relu = b.register();
        b.unary(UnaryFn.RELU, b2(b, BinaryFn.SUB, abs, min), relu);
        int sign = b.register();
        b.unary(UnaryFn.SIGN, relu, sign);
        return b2(b, BinaryFn.MUL, a, sign);
    }

    @Test
    void aLoopReadsTheScalarsAndArraysOfEachRun() {
        Chain c = chain(3, 100, false);
        c.kernel().run();
        float[] first = c.outputs().getLast().floats().clone();
        c.scalars().forEach(s -> s.floats()[0] += 1);
        c.inputs().forEach(in -> in.floats()[5] = 42f);
        Chain tiled = chain(3, 100, true);
        tiled.scalars().forEach(s -> s.floats()[0] += 1);
        tiled.inputs().forEach(in -> in.floats()[5] = 42f);
        c.kernel().run();
        tiled.kernel().run();
        assertArrayEquals(tiled.outputs().getLast().floats(), c.outputs().getLast().floats());
        assertFalse(java.util.Arrays.equals(first, c.outputs().getLast().floats()), "new inputs, new result");
    }

    @Test
    void opsThatDoNotVectoriseExactlyKeepTheTiles() {
        for (int kind = 0; kind < 3; kind++) {
            FusedKernel.Builder b = new FusedKernel.Builder(64);
            int x = b.load(Buf.zeros(DType.FLOAT32, Shape.of(64)));
            int out = b.register();
            switch (kind) {
                case 0 -> b.unary(UnaryFn.EXP, x, out);
                case 1 -> b.compare(CompareFn.EQUAL, x, x, out);
                default -> b.binary(BinaryFn.POW, x, x, out);
            }
            b.store(out, Buf.zeros(DType.FLOAT32, Shape.of(64)));
            assertFalse(b.build().generated(), "chain kind " + kind);
        }
    }

    @Test
    void chainsTooLongForTheJitKeepTheTiles() {
        FusedKernel.Builder b = new FusedKernel.Builder(64);
        int x = b.load(Buf.zeros(DType.FLOAT32, Shape.of(64)));
        for (int i = 0; i < 2000; i++) {
            int out = b.register();
            b.binary(BinaryFn.ADD, x, x, out);
            x = out;
        }
        b.store(x, Buf.zeros(DType.FLOAT32, Shape.of(64)));
        assertFalse(b.build().generated(), "2000 ops would make a method HotSpot leaves to the interpreter");
    }

    @Test
    void identicalChainsShareOneGeneratedClass() {
        int[] kinds = {FusedKernel.LOAD, FusedKernel.BINARY, FusedKernel.STORE};
        Enum<?>[] fns = {null, BinaryFn.MUL, null};
        int[][] args = {{0}, {0, -1}, {0}};
        int[] outs = {0, 1, 1};
        assertSame(LoopGenerator.generate(kinds, fns, args, outs, 2, 1, 2),
                LoopGenerator.generate(kinds, fns, args, outs, 2, 1, 2));
    }
}

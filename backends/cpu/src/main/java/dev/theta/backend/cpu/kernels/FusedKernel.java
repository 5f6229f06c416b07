package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.UnaryFn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chain of elementwise float ops over one element count, run tile by tile: each tile loads the slots it reads into
 * {@value #TILE}-element registers, runs every op as a vectorised loop over registers (all at offset 0, see
 * {@link FloatOps}), and stores the values read outside the chain back to their slots. Registers stay in L1, so
 * memory is touched once per slot read or written instead of once per op: Adam's dozen ops over a weight matrix
 * read four arrays and write three.
 *
 * <p>Storing a slot that a later tile's load reads is safe because each tile loads and stores only its own
 * positions; scalars are read once per run.
 *
 * <p>Chains of ops that vectorise exactly (arithmetic, square root, sign, max, min, ReLU: Adam's update, for one) do
 * not use the tiles: {@link LoopGenerator} compiles them into one loop over all elements, or a few per tile where one
 * would be too long for the JIT to vectorise.
 *
 * <p>With several threads, chains of at least {@value #PARALLEL_MIN} elements (long chains: {@value #PARALLEL_MIN_LONG})
 * split their range into blocks on {@link Parallel}'s threads, each block with its own registers.
 */
public final class FusedKernel implements Kernel {
    /** Elements per tile: a handful of registers of this size fit in L1. */
    public static final int TILE = 1024;
    /** Smallest chain split over threads: below, waking a worker costs about what it saves. */
    static final int PARALLEL_MIN = 1 << 16;
    /**
     * Smallest chain split over threads when it is long: a chain of 16 ops or more does as much work per element as
     * four short ones (AdamW's update of a 128 × 384 weight, 25 ops over 49,152 elements, ran 0.41 ms on one thread).
     */
    static final int PARALLEL_MIN_LONG = 1 << 14;
    static final int LONG_CHAIN_OPS = 16;

    static final int LOAD = 0;
    static final int STORE = 1;
    static final int FILL = 2;
    static final int UNARY = 3;
    static final int BINARY = 4;
    static final int COMPARE = 5;
    static final int WHERE = 6;
    static final int TO_BOOL = 7;
    static final int COPY = 8;

    private final int size;
    private final int[] kinds;
    private final UnaryFn[] unaryFns;
    private final BinaryFn[] binaryFns;
    private final CompareFn[] compareFns;
    /** Operands: a register index, or {@code -1 - s} for scalar s; for LOAD/STORE, arg 0 or out is a slot index. */
    private final int[][] args;
    private final int[] outs;
    private final Buf[] slots;
    private final Buf[] scalarBufs;
    private final float[][] slotArrays;
    private final float[] scalars;
    /** Registers of each block (one block on one thread); null for a generated loop. */
    private final float[][][] registers;
    private final int threads;
    /** Blocks of the range on several threads; null on one. */
    private final Parallel.Job blocks;
    /** The chain's generated loops, or null where it keeps the tiles (see {@link LoopGenerator}). */
    private final LoopGenerator.Generated loops;
    /** This run's generated loop. */
    private LoopGenerator.FusedLoop loop;

    private FusedKernel(Builder b) {
        size = b.size;
        int steps = b.kinds.size();
        kinds = b.kinds.stream().mapToInt(Integer::intValue).toArray();
        unaryFns = new UnaryFn[steps];
        binaryFns = new BinaryFn[steps];
        compareFns = new CompareFn[steps];
        for (int s = 0; s < steps; s++) {
            switch (b.fns.get(s)) {
                case UnaryFn u -> unaryFns[s] = u;
                case BinaryFn f -> binaryFns[s] = f;
                case CompareFn c -> compareFns[s] = c;
                case null, default -> { }
            }
        }
        args = b.args.toArray(int[][]::new);
        outs = b.outs.stream().mapToInt(Integer::intValue).toArray();
        slots = b.slots.toArray(Buf[]::new);
        scalarBufs = b.scalars.toArray(Buf[]::new);
        slotArrays = new float[slots.length][];
        scalars = new float[scalarBufs.length];
        loops = b.tilesOnly ? null : LoopGenerator.generate(kinds, b.fns.toArray(Enum<?>[]::new), args, outs,
                slots.length, scalarBufs.length, b.registerCount);
        threads = b.threads;
        int parts = threads > 1 && splits(size, ops()) ? 2 * threads : 1;
        blocks = parts > 1 ? new Parallel.Job(parts, this::block) : null;
        registers = loops != null ? null : new float[parts][b.registerCount][Math.min(TILE, size)];
    }

    /** Whether a chain of {@code ops} over {@code size} elements gains from several threads. */
    static boolean splits(int size, int ops) {
        return size >= PARALLEL_MIN || ops >= LONG_CHAIN_OPS && size >= PARALLEL_MIN_LONG;
    }

    /** Records the steps; operands are handles from {@link #load}, {@link #scalar} and {@link #register}. */
    public static final class Builder {
        private final int size;
        private final List<Integer> kinds = new ArrayList<>();
        private final List<Enum<?>> fns = new ArrayList<>();
        private final List<int[]> args = new ArrayList<>();
        private final List<Integer> outs = new ArrayList<>();
        private final List<Buf> slots = new ArrayList<>();
        private final List<Buf> scalars = new ArrayList<>();
        private final List<Integer> freeRegisters = new ArrayList<>();
        private int registerCount;
        private boolean tilesOnly;
        private int threads = 1;

        public Builder(int size) {
            this.size = size;
        }

        /** Threads to split long chains over (1 by default). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** A register holding the tile of a full-size slot. */
        public int load(Buf slot) {
            slots.add(slot);
            int r = register();
            step(LOAD, null, r, slots.size() - 1);
            return r;
        }

        /** Writes a register's tile to a full-size slot. */
        public void store(int register, Buf slot) {
            slots.add(slot);
            step(STORE, null, slots.size() - 1, register);
        }

        /** A one-element slot, read when the run starts. */
        public int scalar(Buf slot) {
            scalars.add(slot);
            return -scalars.size();
        }

        /** A register, reusing a released one where possible. */
        public int register() {
            return freeRegisters.isEmpty() ? registerCount++ : freeRegisters.removeLast();
        }

        /** Makes a register available to later {@link #register} calls; scalars are ignored. */
        public void release(int handle) {
            if (handle >= 0) {
                freeRegisters.add(handle);
            }
        }

        public void unary(UnaryFn fn, int x, int out) {
            step(UNARY, fn, out, x);
        }

        public void binary(BinaryFn fn, int a, int b, int out) {
            if (a < 0 && b < 0) {
                a = filled(a);
            }
            step(BINARY, fn, out, a, b);
        }

        public void compare(CompareFn fn, int a, int b, int out) {
            if (a < 0 && b < 0) {
                a = filled(a);
            }
            step(COMPARE, fn, out, a, b);
        }

        public void where(int cond, int a, int b, int out) {
            step(WHERE, null, out, filled(cond), filled(a), filled(b));
        }

        /** float32 to bool: 1 where nonzero. */
        public void toBool(int x, int out) {
            step(TO_BOOL, null, out, filled(x));
        }

        /** Casts that keep the stored floats (bool to float32, to the same type). */
        public void copy(int x, int out) {
            step(COPY, null, out, filled(x));
        }

        /** A register operand: the register itself, or a scalar broadcast into a fresh register. */
        private int filled(int handle) {
            if (handle >= 0) {
                return handle;
            }
            int r = registerCount++;
            step(FILL, null, r, handle);
            return r;
        }

        private void step(int kind, Enum<?> fn, int out, int... operands) {
            kinds.add(kind);
            fns.add(fn);
            args.add(operands);
            outs.add(out);
        }

        public FusedKernel build() {
            return new FusedKernel(this);
        }

        /** Keeps the tiled interpreter even where a loop could be generated; for tests that compare the two. */
        Builder tilesOnly() {
            tilesOnly = true;
            return this;
        }
    }

    /** Number of ops fused (loads and stores not counted); for tests and profiles. */
    public int ops() {
        int n = 0;
        for (int k : kinds) {
            n += k == LOAD || k == STORE || k == FILL ? 0 : 1;
        }
        return n;
    }

    /** Loops per tile of the generated chain (1: one loop over all elements), 0 with the tiles; for tests. */
    int segments() {
        return loops == null ? 0 : loops.segments();
    }

    /** Whether the chain runs as one generated loop rather than tile by tile; for tests and profiles. */
    public boolean generated() {
        return loops != null;
    }

    @Override
    public String describe() {
        return "Fused " + ops() + " ops over " + size + " elements, " + slots.length + " loads/stores"
                + (loops == null ? ", tiles" : loops.segments() == 1 ? ", generated loop"
                        : ", generated loop in " + loops.segments() + " segments") + (blocks != null ? ", " + threads + " threads" : "");
    }

    @Override
    public void run() {
        for (int i = 0; i < slots.length; i++) {
            slotArrays[i] = slots[i].floats();
        }
        for (int i = 0; i < scalarBufs.length; i++) {
            scalars[i] = scalarBufs[i].floats()[0];
        }
        if (loops != null) {
            loop = loops.loop(slotArrays);
        }
        if (blocks != null) {
            Parallel.of(threads).run(blocks);
        } else {
            block(0);
        }
    }

    /** Block i of the range: all of it on one thread; tile-aligned so that the tiles' registers fit. */
    private void block(int i) {
        int parts = blocks == null ? 1 : blocks.tasks();
        int from = Parallel.start(i, parts, size, TILE);
        int to = Parallel.start(i + 1, parts, size, TILE);
        if (loops != null) {
            loop.run(slotArrays, scalars, from, to);
            return;
        }
        float[][] regs = registers[i];
        for (int start = from; start < to; start += TILE) {
            int n = Math.min(TILE, to - start);
            for (int s = 0; s < kinds.length; s++) {
                step(regs, s, start, n);
            }
        }
    }

    private void step(float[][] registers, int s, int start, int n) {
        int[] a = args[s];
        int out = outs[s];
        switch (kinds[s]) {
            case LOAD -> System.arraycopy(slotArrays[a[0]], start, registers[out], 0, n);
            case STORE -> System.arraycopy(registers[a[0]], 0, slotArrays[out], start, n);
            case FILL -> Arrays.fill(registers[out], 0, n, scalars[-1 - a[0]]);
            case UNARY -> FloatOps.unary(unaryFns[s], registers[a[0]], registers[out], 0, n);
            case TO_BOOL -> FloatOps.toBool(registers[a[0]], registers[out], 0, n);
            case COPY -> System.arraycopy(registers[a[0]], 0, registers[out], 0, n);
            case WHERE -> FloatOps.where(registers[a[0]], registers[a[1]], registers[a[2]], registers[out], 0, n);
            case BINARY -> {
                float[] o = registers[out];
                if (a[1] < 0) FloatOps.vs(binaryFns[s], registers[a[0]], scalars[-1 - a[1]], o, 0, n);
                else if (a[0] < 0) FloatOps.sv(binaryFns[s], scalars[-1 - a[0]], registers[a[1]], o, 0, n);
                else FloatOps.vv(binaryFns[s], registers[a[0]], registers[a[1]], o, 0, n);
            }
            case COMPARE -> {
                float[] o = registers[out];
                if (a[1] < 0) FloatOps.compareVS(compareFns[s], registers[a[0]], scalars[-1 - a[1]], o, 0, n);
                else if (a[0] < 0) FloatOps.compareSV(compareFns[s], scalars[-1 - a[0]], registers[a[1]], o, 0, n);
                else FloatOps.compareVV(compareFns[s], registers[a[0]], registers[a[1]], o, 0, n);
            }
            default -> throw new IllegalStateException("step kind " + kinds[s]);
        }
    }
}

package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.UnaryFn;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.LimitExceededException;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a fused chain into one JVM loop: a hidden class whose {@link FusedLoop#run} reads each slot once per
 * element into a local, runs every op on locals and stores the values read outside the chain, all at the loop index.
 * A chain too long for C2 to vectorise as one loop is cut into segments ({@link LoopSegments}), one loop each over a
 * tile of elements, every access still at the loop index.
 * C2 vectorises such a loop as a whole, so the chain costs one pass over memory and no per-op loop overhead; the
 * tiled interpreter in {@link FusedKernel} makes a pass over an L1 tile per op, and took 822 against 192 µs for
 * Adam's update of a 784x256 weight inside the MLP step (docs/benchmarks.md).
 *
 * <p>Only ops that C2 vectorises and that have one exact float expression are generated (negation, absolute value,
 * square root, sign, ReLU, the four arithmetic operations, max, min, copies), each written as {@link FloatOps} writes it, so
 * a generated loop gives bit-identical results. Comparisons {@code a > b} and {@code a < b} are written without a
 * select, which C2 would leave scalar (see {@link LoopInstructions#greater}). Chains with anything else (exp, log, equality, selects)
 * return null and keep the tiled interpreter: one scalar op would leave the whole loop scalar.
 *
 * <p>Identical chains share one class, so the runner's several executables of one step graph are compiled by the
 * JIT once.
 */
final class LoopGenerator {
    /** Runs a generated chain over elements [from, to) of the slots (full-size arrays) with the scalars read. */
    interface FusedLoop {
        void run(float[][] slots, float[] scalars, int from, int to);
    }

    /**
     * A chain's generated loops: {@code segmented}, in {@code segments} loops per tile (one loop over everything where
     * the chain is short), is right whenever the slot arrays of each pair in {@code distinct} differ
     * ({@link LoopSegments}); {@code single}, the chain as one loop, always.
     */
    record Generated(FusedLoop segmented, int segments, FusedLoop single, int[][] distinct) {
        /** The loop to run over these slot arrays. */
        FusedLoop loop(float[][] slots) {
            for (int[] pair : distinct) {
                if (slots[pair[0]] == slots[pair[1]]) {
                    return single;
                }
            }
            return segmented;
        }
    }

    /** Generated loops by chain; empty where the chain was too long to generate. */
    private static final Map<String, Optional<Generated>> CACHE = new ConcurrentHashMap<>();
    /**
     * Largest class file generated. HotSpot does not JIT-compile a method of more than 8000 bytes of bytecode
     * ({@code -XX:HugeMethodLimit}), and an interpreted loop would be far slower than the tiles; the class file is
     * larger than its method's code, so this bound keeps the method under the limit.
     */
    static final int MAX_CLASS_BYTES = 7500;
    private static final String LOOP = "dev/theta/backend/cpu/kernels/LoopGenerator$FusedLoop";
    private static final String MATH = "java/lang/Math";
    private static final int SLOTS = 1;
    private static final int SCALARS = 2;
    private static final int FROM = 3;
    private static final int TO = 4;
    private static final int FIRST_LOCAL = 5;

    private final int[] kinds;
    private final Enum<?>[] fns;
    private final int[][] args;
    private final int[] outs;
    private final int slotCount;
    private final int scalarCount;
    private final int registerCount;
    private final LoopSegments segments;

    private LoopGenerator(int[] kinds, Enum<?>[] fns, int[][] args, int[] outs, int slotCount, int scalarCount,
                          int registerCount) {
        this.kinds = kinds;
        this.fns = fns;
        this.args = args;
        this.outs = outs;
        this.slotCount = slotCount;
        this.scalarCount = scalarCount;
        this.registerCount = registerCount;
        this.segments = new LoopSegments(kinds, args, outs, registerCount, LoopSegments.MAX_STEPS);
    }

    /** The same chain cut as {@code segments} says. */
    private LoopGenerator(LoopGenerator g, LoopSegments segments) {
        this.kinds = g.kinds;
        this.fns = g.fns;
        this.args = g.args;
        this.outs = g.outs;
        this.slotCount = g.slotCount;
        this.scalarCount = g.scalarCount;
        this.registerCount = g.registerCount;
        this.segments = segments;
    }

    /**
     * The loop of a chain in {@link FusedKernel}'s step encoding, or null when a step is not one that vectorises
     * exactly or the chain is too long for the JIT to compile its loop. Operands are register indices, or
     * {@code -1 - s} for scalar s; LOAD and STORE name slot indices.
     */
    static Generated generate(int[] kinds, Enum<?>[] fns, int[][] args, int[] outs, int slotCount, int scalarCount,
                              int registerCount) {
        for (int s = 0; s < kinds.length; s++) {
            if (!LoopInstructions.supported(kinds[s], fns[s])) {
                return null;
            }
        }
        LoopGenerator g = new LoopGenerator(kinds, fns, args, outs, slotCount, scalarCount, registerCount);
        return CACHE.computeIfAbsent(g.key(), k -> g.define()).orElse(null);
    }

    private String key() {
        StringBuilder b = new StringBuilder().append(slotCount).append('/').append(scalarCount).append('/')
                .append(registerCount);
        for (int s = 0; s < kinds.length; s++) {
            b.append(';').append(kinds[s]).append(fns[s] == null ? "" : fns[s].name()).append(':').append(outs[s]);
            for (int a : args[s]) {
                b.append(',').append(a);
            }
        }
        return b.toString();
    }

    private Optional<Generated> define() {
        Optional<FusedLoop> segmented = loopClass();
        if (segmented.isEmpty()) {
            return Optional.empty();
        }
        if (segments.distinct.length == 0) {
            return Optional.of(new Generated(segmented.get(), segments.count(), segmented.get(), new int[0][]));
        }
        LoopGenerator one = new LoopGenerator(this,
                new LoopSegments(kinds, args, outs, registerCount, Integer.MAX_VALUE));
        return one.loopClass().map(single -> new Generated(segmented.get(), segments.count(), single,
                segments.distinct));
    }

    private Optional<FusedLoop> loopClass() {
        byte[] bytes;
        try {
            bytes = bytecode();
        } catch (LimitExceededException | MethodTooLargeException e) {
            // A chain of thousands of ops: far past MAX_CLASS_BYTES, which it would fail below anyway.
            return Optional.empty();
        }
        if (bytes.length > MAX_CLASS_BYTES) {
            return Optional.empty();
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return Optional.of((FusedLoop) lookup.lookupClass().getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not define a fused loop", e);
        }
    }

    private int slotLocal(int slot) {
        return FIRST_LOCAL + slot;
    }

    private int scalarLocal(int scalar) {
        return FIRST_LOCAL + slotCount + scalar;
    }

    private int registerLocal(int register) {
        return FIRST_LOCAL + slotCount + scalarCount + register;
    }

    private int indexLocal() {
        return FIRST_LOCAL + slotCount + scalarCount + registerCount;
    }

    /** The first element of the tile (segmented loops). */
    private int tileLocal() {
        return indexLocal() + 1;
    }

    /** The tile's end (segmented loops). */
    private int tileEndLocal() {
        return indexLocal() + 2;
    }

    private byte[] bytecode() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        String name = "dev/theta/backend/cpu/kernels/GeneratedFusedLoop";
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null,
                "java/lang/Object", new String[] {LOOP});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "([[F[FII)V", null, null);
        m.visitCode();
        for (int s = 0; s < slotCount; s++) {
            m.visitVarInsn(Opcodes.ALOAD, SLOTS);
            m.visitLdcInsn(s);
            m.visitInsn(Opcodes.AALOAD);
            m.visitVarInsn(Opcodes.ASTORE, slotLocal(s));
        }
        for (int s = 0; s < scalarCount; s++) {
            m.visitVarInsn(Opcodes.ALOAD, SCALARS);
            m.visitLdcInsn(s);
            m.visitInsn(Opcodes.FALOAD);
            m.visitVarInsn(Opcodes.FSTORE, scalarLocal(s));
        }
        // Registers are locals that every step writes before reading; zero them so the verifier sees them set.
        for (int r = 0; r < registerCount; r++) {
            m.visitInsn(Opcodes.FCONST_0);
            m.visitVarInsn(Opcodes.FSTORE, registerLocal(r));
        }
        if (segments.count() == 1) {
            loop(m, 0, FROM, TO);
        } else {
            tiles(m);
        }
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** for (i = from; i < to; i++) the segment's steps, its live registers read again from their slots first. */
    private void loop(MethodVisitor m, int segment, int fromLocal, int toLocal) {
        int i = indexLocal();
        Label[] testAndEnd = loopHead(m, i, fromLocal, toLocal);
        int[] registers = segments.reloads[segment];
        for (int k = 0; k < registers.length; k++) {
            int from = segments.reloadSlots[segment][k];
            if (from >= 0) {
                m.visitVarInsn(Opcodes.ALOAD, slotLocal(from));
                m.visitVarInsn(Opcodes.ILOAD, i);
                m.visitInsn(Opcodes.FALOAD);
            } else {
                m.visitVarInsn(Opcodes.FLOAD, scalarLocal(-1 - from));
            }
            m.visitVarInsn(Opcodes.FSTORE, registerLocal(registers[k]));
        }
        for (int s = segments.starts[segment]; s < segments.starts[segment + 1]; s++) {
            step(m, s, i);
        }
        m.visitIincInsn(i, 1);
        m.visitJumpInsn(Opcodes.GOTO, testAndEnd[0]);
        m.visitLabel(testAndEnd[1]);
    }

    /** {@code var = from}, then the loop's test {@code var < to} (its label first), jumping to the end label past it. */
    private static Label[] loopHead(MethodVisitor m, int var, int fromLocal, int toLocal) {
        m.visitVarInsn(Opcodes.ILOAD, fromLocal);
        m.visitVarInsn(Opcodes.ISTORE, var);
        Label test = new Label();
        Label end = new Label();
        m.visitLabel(test);
        m.visitVarInsn(Opcodes.ILOAD, var);
        m.visitVarInsn(Opcodes.ILOAD, toLocal);
        m.visitJumpInsn(Opcodes.IF_ICMPGE, end);
        return new Label[] {test, end};
    }

    /** for (tile = from; tile < to; tile += TILE) every segment's loop over [tile, min(tile + TILE, to)). */
    private void tiles(MethodVisitor m) {
        int tile = tileLocal();
        int tileEnd = tileEndLocal();
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ISTORE, indexLocal());
        Label[] testAndEnd = loopHead(m, tile, FROM, TO);
        m.visitVarInsn(Opcodes.ILOAD, tile);
        m.visitLdcInsn(FusedKernel.TILE);
        m.visitInsn(Opcodes.IADD);
        m.visitVarInsn(Opcodes.ILOAD, TO);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "min", "(II)I", false);
        m.visitVarInsn(Opcodes.ISTORE, tileEnd);
        for (int k = 0; k < segments.count(); k++) {
            loop(m, k, tile, tileEnd);
        }
        m.visitVarInsn(Opcodes.ILOAD, tileEnd);
        m.visitVarInsn(Opcodes.ISTORE, tile);
        m.visitJumpInsn(Opcodes.GOTO, testAndEnd[0]);
        m.visitLabel(testAndEnd[1]);
    }

    private void step(MethodVisitor m, int s, int i) {
        int[] a = args[s];
        int out = outs[s];
        switch (kinds[s]) {
            case FusedKernel.LOAD -> {
                m.visitVarInsn(Opcodes.ALOAD, slotLocal(a[0]));
                m.visitVarInsn(Opcodes.ILOAD, i);
                m.visitInsn(Opcodes.FALOAD);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.STORE -> {
                m.visitVarInsn(Opcodes.ALOAD, slotLocal(out));
                m.visitVarInsn(Opcodes.ILOAD, i);
                operand(m, a[0]);
                m.visitInsn(Opcodes.FASTORE);
            }
            case FusedKernel.FILL, FusedKernel.COPY -> {
                operand(m, a[0]);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.UNARY -> {
                operand(m, a[0]);
                LoopInstructions.unary(m, (UnaryFn) fns[s]);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.BINARY -> {
                operand(m, a[0]);
                operand(m, a[1]);
                LoopInstructions.binary(m, (BinaryFn) fns[s]);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.COMPARE -> {
                boolean less = fns[s] == CompareFn.LESS;
                operand(m, a[less ? 1 : 0]);
                operand(m, a[less ? 0 : 1]);
                LoopInstructions.greater(m);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            default -> throw new IllegalStateException("step kind " + kinds[s] + " is not generated");
        }
    }

    /** Pushes a register or a scalar. */
    private void operand(MethodVisitor m, int handle) {
        m.visitVarInsn(Opcodes.FLOAD, handle >= 0 ? registerLocal(handle) : scalarLocal(-1 - handle));
    }
}

package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.UnaryFn;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a fused chain into one JVM loop: a hidden class whose {@link FusedLoop#run} reads each slot once per
 * element into a local, runs every op on locals and stores the values read outside the chain, all at the loop index.
 * C2 vectorises such a loop as a whole, so the chain costs one pass over memory and no per-op loop overhead; the
 * tiled interpreter in {@link FusedKernel} makes a pass over an L1 tile per op, and took 822 against 192 µs for
 * Adam's update of a 784x256 weight inside the MLP step (docs/benchmarks.md).
 *
 * <p>Only ops that C2 vectorises and that have one exact float expression are generated (negation, absolute value,
 * square root, ReLU, the four arithmetic operations, max, min, copies), each written as {@link FloatOps} writes it, so
 * a generated loop gives bit-identical results. Comparisons {@code a > b} and {@code a < b} are written without a
 * select, which C2 would leave scalar (see {@link #greater}). Chains with anything else (exp, log, equality, selects)
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

    /** Generated loops by chain; empty where the chain was too long to generate. */
    private static final Map<String, Optional<FusedLoop>> CACHE = new ConcurrentHashMap<>();
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

    private LoopGenerator(int[] kinds, Enum<?>[] fns, int[][] args, int[] outs, int slotCount, int scalarCount,
                          int registerCount) {
        this.kinds = kinds;
        this.fns = fns;
        this.args = args;
        this.outs = outs;
        this.slotCount = slotCount;
        this.scalarCount = scalarCount;
        this.registerCount = registerCount;
    }

    /**
     * The loop of a chain in {@link FusedKernel}'s step encoding, or null when a step is not one that vectorises
     * exactly or the chain is too long for the JIT to compile its loop. Operands are register indices, or
     * {@code -1 - s} for scalar s; LOAD and STORE name slot indices.
     */
    static FusedLoop generate(int[] kinds, Enum<?>[] fns, int[][] args, int[] outs, int slotCount, int scalarCount,
                              int registerCount) {
        for (int s = 0; s < kinds.length; s++) {
            if (!supported(kinds[s], fns[s])) {
                return null;
            }
        }
        LoopGenerator g = new LoopGenerator(kinds, fns, args, outs, slotCount, scalarCount, registerCount);
        return CACHE.computeIfAbsent(g.key(), k -> g.define()).orElse(null);
    }

    private static boolean supported(int kind, Enum<?> fn) {
        return switch (kind) {
            case FusedKernel.LOAD, FusedKernel.STORE, FusedKernel.FILL, FusedKernel.COPY -> true;
            case FusedKernel.UNARY -> fn == UnaryFn.NEG || fn == UnaryFn.ABS || fn == UnaryFn.SQRT || fn == UnaryFn.RELU;
            case FusedKernel.BINARY -> fn != BinaryFn.POW;
            case FusedKernel.COMPARE -> fn == CompareFn.GREATER || fn == CompareFn.LESS;
            default -> false;
        };
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

    private Optional<FusedLoop> define() {
        byte[] bytes = bytecode();
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
        int i = indexLocal();
        m.visitVarInsn(Opcodes.ILOAD, FROM);
        m.visitVarInsn(Opcodes.ISTORE, i);
        Label test = new Label();
        Label end = new Label();
        m.visitLabel(test);
        m.visitVarInsn(Opcodes.ILOAD, i);
        m.visitVarInsn(Opcodes.ILOAD, TO);
        m.visitJumpInsn(Opcodes.IF_ICMPGE, end);
        for (int s = 0; s < kinds.length; s++) {
            step(m, s, i);
        }
        m.visitIincInsn(i, 1);
        m.visitJumpInsn(Opcodes.GOTO, test);
        m.visitLabel(end);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
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
                unary(m, (UnaryFn) fns[s]);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.BINARY -> {
                operand(m, a[0]);
                operand(m, a[1]);
                binary(m, (BinaryFn) fns[s]);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            case FusedKernel.COMPARE -> {
                boolean less = fns[s] == CompareFn.LESS;
                operand(m, a[less ? 1 : 0]);
                operand(m, a[less ? 0 : 1]);
                greater(m);
                m.visitVarInsn(Opcodes.FSTORE, registerLocal(out));
            }
            default -> throw new IllegalStateException("step kind " + kinds[s] + " is not generated");
        }
    }

    /** Pushes a register or a scalar. */
    private void operand(MethodVisitor m, int handle) {
        m.visitVarInsn(Opcodes.FLOAD, handle >= 0 ? registerLocal(handle) : scalarLocal(-1 - handle));
    }

    /** The expression {@link FloatOps#unary} uses for {@code fn}. */
    private static void unary(MethodVisitor m, UnaryFn fn) {
        switch (fn) {
            case NEG -> m.visitInsn(Opcodes.FNEG);
            case ABS -> m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "abs", "(F)F", false);
            case SQRT -> {
                m.visitInsn(Opcodes.F2D);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "sqrt", "(D)D", false);
                m.visitInsn(Opcodes.D2F);
            }
            case RELU -> {
                m.visitInsn(Opcodes.FCONST_0);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "max", "(FF)F", false);
            }
            default -> throw new IllegalStateException(fn + " is not generated");
        }
    }

    /**
     * {@code a > b ? 1f : 0f} for the two floats on the stack, as {@code (float) (int) signum(max(a − b, 0))}, which
     * C2 vectorises (~0.4 against ~2.5 ns per element for the select, JDK 25, AVX2). It is exact for every input: a
     * difference of distinct floats is never zero (subnormals) and overflows to +∞ only when a > b; equal values give
     * +0 (max(−0, 0) is +0); NaN operands, and ∞ − ∞, give NaN, which signum keeps and the cast to int makes 0.
     */
    private static void greater(MethodVisitor m) {
        m.visitInsn(Opcodes.FSUB);
        m.visitInsn(Opcodes.FCONST_0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "max", "(FF)F", false);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "signum", "(F)F", false);
        m.visitInsn(Opcodes.F2I);
        m.visitInsn(Opcodes.I2F);
    }

    /** The expression {@link FloatOps#vv} uses for {@code fn}. */
    private static void binary(MethodVisitor m, BinaryFn fn) {
        switch (fn) {
            case ADD -> m.visitInsn(Opcodes.FADD);
            case SUB -> m.visitInsn(Opcodes.FSUB);
            case MUL -> m.visitInsn(Opcodes.FMUL);
            case DIV -> m.visitInsn(Opcodes.FDIV);
            case MAX -> m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "max", "(FF)F", false);
            case MIN -> m.visitMethodInsn(Opcodes.INVOKESTATIC, MATH, "min", "(FF)F", false);
            case POW -> throw new IllegalStateException("Pow is not generated");
        }
    }
}

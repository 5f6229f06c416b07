package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Off-heap operand buffers shared by all matrix products of one compiled graph (they run one after another), sized
 * at compile time for the largest product and freed when the graph is closed.
 */
public final class MatMulScratch implements AutoCloseable {
    private int aSize;
    private int bSize;
    private int cSize;
    private FloatPointer a;
    private FloatPointer b;
    private FloatPointer c;

    /** Records the operand sizes of one product; call before {@link #allocate}. */
    public void require(int aElements, int bElements, int cElements) {
        aSize = Math.max(aSize, aElements);
        bSize = Math.max(bSize, bElements);
        cSize = Math.max(cSize, cElements);
    }

    public void allocate() {
        a = new FloatPointer(Math.max(1, aSize));
        b = new FloatPointer(Math.max(1, bSize));
        c = new FloatPointer(Math.max(1, cSize));
    }

    FloatPointer a() {
        return a;
    }

    FloatPointer b() {
        return b;
    }

    FloatPointer c() {
        return c;
    }

    @Override
    public void close() {
        for (FloatPointer p : new FloatPointer[] {a, b, c}) {
            if (p != null) {
                p.close();
            }
        }
        a = null;
        b = null;
        c = null;
    }
}

package dev.theta.backend.cpu.kernels;

/**
 * One heap array shared by the convolution kernels of a compiled graph (they run one after another): transformed
 * tiles on their way to the off-heap operands, and products on their way back (im2col writes off-heap directly). Sized at compile time for the
 * largest use, so steps allocate nothing.
 */
public final class ImageScratch {
    private int size;
    private float[] floats;

    /** Records one kernel's need; call before {@link #allocate}. */
    public void require(int elements) {
        size = Math.max(size, elements);
    }

    public void allocate() {
        floats = new float[size];
    }

    float[] floats() {
        return floats;
    }
}

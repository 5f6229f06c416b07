package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxPoolKernel}'s 2 × 2 windows that lie inside the image, by vector gathers: per output pixel of an image
 * (row-major, padded to whole vectors) the flat offset of its window's top-left pixel, so that the windows of a vector
 * of outputs are read across row ends (rows of 14 or 7 outputs are shorter than a vector). Loaded only where the
 * vector API is {@linkplain VectorApi#AVAILABLE available}.
 */
final class MaxPoolGathers {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, LANES.vectorShape());
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, LANES.vectorShape());

    private MaxPoolGathers() {
    }

    static int lanes() {
        return LANES.length();
    }

    /** The windows' top-left offsets in the image, one per output pixel, padded with zeros to whole vectors. */
    static int[] corners(ConvGeometry rows, ConvGeometry cols) {
        int lanes = LANES.length();
        int pixels = rows.out * cols.out;
        int[] corners = new int[(pixels + lanes - 1) / lanes * lanes];
        for (int f = 0; f < pixels; f++) {
            corners[f] = (f / cols.out * rows.stride + rows.start[0]) * cols.in + f % cols.out * cols.stride
                    + cols.start[0];
        }
        return corners;
    }

    /**
     * 2 × 2 windows inside the image, a vector of output pixels at a time: the windows' four pixels by gathers at
     * {@link #corners}, kept where strictly larger (the first maximum wins, NaN included, as in MaxPoolKernel's other loops).
     */
    static void run(float[] in, float[] values, long[] positions, int[] corners, int plane, int width, int pixels,
                    int from, int to, int[] lanes) {
        int count = LANES.length();
        for (int m = from; m < to; m++) {
            int base = m * plane;
            int out = m * pixels;
            for (int f = 0; f < pixels; f += count) {
                VectorMask<Float> inside = LANES.indexInRange(f, pixels);
                IntVector corner = IntVector.fromArray(INTS, corners, f).add(base);
                FloatVector max = gather(in, base, corners, f);
                IntVector at = corner;
                FloatVector v = gather(in, base + 1, corners, f);
                VectorMask<Float> larger = v.compare(VectorOperators.GT, max);
                max = max.blend(v, larger);
                at = at.blend(corner.add(1), larger.cast(INTS));
                v = gather(in, base + width, corners, f);
                larger = v.compare(VectorOperators.GT, max);
                max = max.blend(v, larger);
                at = at.blend(corner.add(width), larger.cast(INTS));
                v = gather(in, base + width + 1, corners, f);
                larger = v.compare(VectorOperators.GT, max);
                max = max.blend(v, larger);
                at = at.blend(corner.add(width + 1), larger.cast(INTS));
                if (values != null) {
                    max.intoArray(values, out + f, inside);
                }
                if (positions != null && f + count <= pixels) {
                    // Two halves widened to long: the scalar copy of a vector's lanes was most of the kernel.
                    ((LongVector) at.convertShape(VectorOperators.I2L, LONGS, 0)).intoArray(positions, out + f);
                    ((LongVector) at.convertShape(VectorOperators.I2L, LONGS, 1)).intoArray(positions,
                            out + f + LONGS.length());
                } else if (positions != null) {
                    at.intoArray(lanes, 0);
                    for (int k = 0, n = Math.min(count, pixels - f); k < n; k++) {
                        positions[out + f + k] = lanes[k];
                    }
                }
            }
        }
    }

    /**
     * An unmasked gather: the corners past the last pixel are zeros, so it reads inside the plane. A masked gather
     * was faster on an Intel AVX-512 host (258 against 325 µs a kernel) but runs lane by lane, allocating, where the
     * vector API has no masked gather: AVX2, and an AMD EPYC with AVX-512 (ExecutableTest's steady-state allocation
     * test failed on both).
     */
    private static FloatVector gather(float[] in, int offset, int[] corners, int f) {
        return FloatVector.fromArray(LANES, in, offset, corners, f);
    }
}

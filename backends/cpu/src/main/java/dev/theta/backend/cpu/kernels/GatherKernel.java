package dev.theta.backend.cpu.kernels;

/** Gather on axis 0: copies row {@code indices[i]} of the data (float32 or int64) for each index. */
public final class GatherKernel implements Kernel {
    private final Buf data;
    private final Buf indices;
    private final Buf out;
    private final int rows;
    private final int rowSize;
    private final int picks;

    public GatherKernel(Buf data, int rows, int rowSize, Buf indices, int picks, Buf out) {
        this.data = data;
        this.indices = indices;
        this.out = out;
        this.rows = rows;
        this.rowSize = rowSize;
        this.picks = picks;
    }

    @Override
    public void run() {
        long[] idx = indices.longs();
        Object from = data.isInteger() ? data.longs() : data.floats();
        Object to = out.isInteger() ? out.longs() : out.floats();
        for (int i = 0; i < picks; i++) {
            int r = Indices.check("Gather", idx[i], rows, i);
            System.arraycopy(from, r * rowSize, to, i * rowSize, rowSize);
        }
    }
}

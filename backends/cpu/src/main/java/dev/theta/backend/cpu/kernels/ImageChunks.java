package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;

import java.util.function.IntConsumer;

/**
 * The batch of a convolution kernel cut into chunks of whole images, run on {@link Parallel}'s threads in any order.
 * A running chunk takes a free lane, one per thread that can run at once, and works in that lane's slices of the heap
 * and off-heap scratch: no buffer is shared, and the slices a thread writes are the ones it wrote for its previous
 * chunk, still in its cache (with a slice per chunk, a 32-chunk kernel gradient spread its columns and their
 * off-heap copies over 29 MB, and took 6.3 against 5.3 ms, docs/benchmarks.md). A chunk
 * is as many images as keep its im2col columns within {@value #CACHE_FLOATS} floats (they are written straight
 * into the lane's off-heap slice, {@link #columns}, and read by sgemm while still in cache), but at least {@value #MIN_COLUMNS} output pixels wide (sgemm is
 * slow on narrower products), and at most a quarter of the batch where that width allows. The cut depends on the shapes alone, never on the thread count: every product is the
 * same call with any number of threads, so results are the same bits.
 */
final class ImageChunks {
    private static final int CACHE_FLOATS = 1 << 17;
    private static final int MIN_COLUMNS = 128;

    final int count;
    /** Images in the largest chunk. */
    final int most;
    /** Chunks that can run at once: the slices of each of the heap and the off-heap operands. */
    final int lanes;
    private final int batch;
    /** 1 where a running chunk holds the lane. */
    private final AtomicIntegerArray busy;
    /** Per chunk: the heap scratch offset, and views of the off-heap operands (positions set by the chunk's run). */
    private final int heapPerChunk;
    private final int bPerChunk;
    private final int cPerChunk;
    private FloatPointer[][] views;
    /** Per lane, its slice of the off-heap b as a buffer: im2col writes its columns there directly. */
    private FloatBuffer[] columns;

    /**
     * @param pixels output pixels per image (the product's columns per image)
     * @param colPerImage im2col floats per image; {@code bPerImage}, {@code cPerImage} off-heap floats per image
     */
    ImageChunks(int batch, int pixels, int colPerImage, int bPerImage, int cPerImage, int heapPerImage,
                int maxThreads) {
        this.batch = batch;
        int byCache = Math.max(1, CACHE_FLOATS / Math.max(1, colPerImage));
        int byWidth = (MIN_COLUMNS + pixels - 1) / Math.max(1, pixels);
        // At least four chunks where the width allows: fewer would leave one of two threads idle for long.
        int images = Math.min(batch, Math.max(byWidth, Math.min(byCache, Math.max(1, batch / 4))));
        this.count = Math.max(1, batch / Math.max(1, images));
        this.most = (batch + count - 1) / count;
        this.lanes = Math.max(1, Math.min(count, maxThreads));
        this.busy = new AtomicIntegerArray(lanes);
        this.heapPerChunk = most * heapPerImage;
        this.bPerChunk = most * bPerImage;
        this.cPerChunk = most * cPerImage;
    }

    /** A chunk's work in the slices of a lane. */
    interface Body {
        void run(int chunk, int lane);
    }

    /** Runs chunk k of {@code body} in a free lane, held while it runs. */
    IntConsumer laned(Body body) {
        return k -> {
            int lane = claim();
            try {
                body.run(k, lane);
            } finally {
                busy.set(lane, 0);
            }
        };
    }

    private int claim() {
        for (int lane = 0; lane < lanes; lane++) {
            if (busy.compareAndSet(lane, 0, 1)) {
                return lane;
            }
        }
        throw new IllegalStateException("more chunks at once than the " + lanes + " lanes of threads");
    }

    /** The job that runs the chunks on {@code threads} threads; null on one. */
    Parallel.Job job(int threads, IntConsumer chunk) {
        return threads > 1 ? new Parallel.Job(count, chunk) : null;
    }

    /** Copies the weights off-heap (every chunk reads them), then runs every chunk: on the job's threads, or here. */
    void run(MatMulScratch scratch, float[] weights, int weightCount, int threads, Parallel.Job job,
             IntConsumer chunk) {
        scratch.a().put(weights, 0, weightCount);
        runPieces(scratch, count, threads, job, chunk);
    }

    /**
     * Runs {@code pieces} pieces (each a run of consecutive chunks, its lane held throughout): on the job's threads,
     * or here.
     */
    void runPieces(MatMulScratch scratch, int pieces, int threads, Parallel.Job job, IntConsumer piece) {
        prepare(scratch);
        Parallel.runPieces(job, threads, pieces, piece);
    }

    /** Reserves every lane's slices (the weights, {@code aElements}, are shared). */
    void require(MatMulScratch scratch, ImageScratch heap, int aElements) {
        scratch.require(aElements, lanes * bPerChunk, lanes * cPerChunk);
        heap.require(heapEnd());
    }

    /** The end of the lanes' heap slices. */
    int heapEnd() {
        return lanes * heapPerChunk;
    }

    int from(int chunk) {
        return Parallel.start(chunk, count, batch, 1);
    }

    int to(int chunk) {
        return Parallel.start(chunk + 1, count, batch, 1);
    }

    int heapOffset(int lane) {
        return lane * heapPerChunk;
    }

    /** The lane's own pointers {a, b, c} (made by {@link #prepare}); the chunk sets their positions. */
    FloatPointer[] views(int lane) {
        return views[lane];
    }

    /** The lane's off-heap slice of b, written in place (made by {@link #prepare}). */
    FloatBuffer columns(int lane) {
        return columns[lane];
    }

    /** {@code count} floats of {@code p} from {@code from} as a buffer (native byte order, javacpp's). */
    static FloatBuffer slice(FloatPointer p, long from, int count) {
        return new FloatPointer(p).position(from).limit(from + Math.max(1, count)).asBuffer();
    }

    long bOffset(int lane) {
        return (long) lane * bPerChunk;
    }

    long cOffset(int lane) {
        return (long) lane * cPerChunk;
    }

    /** Makes every chunk's views on the first run (the scratch is allocated after the kernels), before any thread. */
    private void prepare(MatMulScratch scratch) {
        if (views == null) {
            views = new FloatPointer[lanes][];
            for (int k = 0; k < lanes; k++) {
                views[k] = new FloatPointer[] {new FloatPointer(scratch.a()), new FloatPointer(scratch.b()),
                        new FloatPointer(scratch.c())};
            }
            columns = new FloatBuffer[lanes];
            for (int k = 0; k < lanes; k++) {
                columns[k] = slice(scratch.b(), bOffset(k), bPerChunk);
            }
        }
    }
}

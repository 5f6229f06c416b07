package dev.theta.tasks.clip;

import dev.theta.datasets.IdxDatasetProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small IDX files for image-text tests: n images of rows × cols pixels, class c = i mod 10, each image its class's
 * seeded random prototype plus noise, so that a model can learn the classes in a few steps.
 */
public final class ImageTextFiles {
    public static final int ROWS = 4;
    public static final int COLS = 4;

    private ImageTextFiles() {
    }

    /** Writes {@code images.idx} and {@code labels.idx} into {@code dir}. */
    public static void write(Path dir, int n, long seed) throws IOException {
        Random prototypes = new Random(1);
        int pixels = ROWS * COLS;
        double[][] proto = new double[10][pixels];
        for (double[] p : proto) {
            for (int j = 0; j < pixels; j++) {
                p[j] = prototypes.nextDouble() * 255;
            }
        }
        Random noise = new Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * pixels).putInt(IdxDatasetProvider.IMAGES_MAGIC).putInt(n)
                .putInt(ROWS).putInt(COLS);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(IdxDatasetProvider.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels.put((byte) c);
            for (int j = 0; j < pixels; j++) {
                double v = proto[c][j] + noise.nextGaussian() * 40;
                images.put((byte) Math.max(0, Math.min(255, (int) v)));
            }
        }
        Files.write(dir.resolve("images.idx"), images.array());
        Files.write(dir.resolve("labels.idx"), labels.array());
    }
}

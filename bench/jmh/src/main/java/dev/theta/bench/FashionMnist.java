package dev.theta.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Fashion-MNIST's training split from the Debian package dataset-fashion-mnist: pixels / 255 and labels. */
record FashionMnist(float[] pixels, long[] labels) {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    static FashionMnist train() {
        try {
            byte[] images = read(DIR.resolve("train-images-idx3-ubyte.gz"), 16);
            byte[] labels = read(DIR.resolve("train-labels-idx1-ubyte.gz"), 8);
            float[] x = new float[images.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (images[i] & 0xff) / 255f;
            }
            long[] y = new long[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels[i];
            }
            return new FashionMnist(x, y);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Fashion-MNIST from " + DIR + " (apt-get install dataset-fashion-mnist)", e);
        }
    }

    int size() {
        return labels.length;
    }

    private static byte[] read(Path file, int header) throws IOException {
        try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
            in.readNBytes(header);
            return in.readAllBytes();
        }
    }
}

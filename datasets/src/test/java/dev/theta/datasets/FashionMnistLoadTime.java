package dev.theta.datasets;

import dev.theta.api.options.Options;
import dev.theta.api.spi.Dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Times loading Fashion-MNIST's 60k training images with the idx provider, when the Debian package
 * dataset-fashion-mnist is installed. A program rather than a test, so that the test suite does not depend on the
 * package: run it with the test classpath, e.g. {@code java -cp ... dev.theta.core.datasets.FashionMnistLoadTime}.
 */
public final class FashionMnistLoadTime {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistLoadTime() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.isDirectory(DIR)) {
            System.out.println(DIR + " is missing: apt-get install -y dataset-fashion-mnist");
            return;
        }
        IdxDatasetProvider provider = new IdxDatasetProvider();
        Options options = provider.options().validate(Map.of("images", "train-images-idx3-ubyte.gz",
                "labels", "train-labels-idx1-ubyte.gz"), "data", Set.of());
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            Dataset data = provider.load(options, DIR);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("run %d: %d examples, features %s, %d classes in %d ms%n", run, data.size(),
                    data.features().shape(), data.spec().classes(), ms);
        }
    }
}

package dev.theta.tasks.text;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.spi.Dataset;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The count-based bigram baseline of examples/shakespeare.yaml: P(next | previous) from the train part's character
 * pair counts with add-one (Laplace) smoothing, scored on the validation part as mean cross-entropy. Run it with
 * {@code ./build -q -o test -pl runner -Dtest=BigramBaselineTest} to see the numbers in docs/next-token.md.
 */
class BigramBaselineTest {
    private static final Path EXAMPLES = Path.of("../../examples");

    private static Dataset split(String split) throws Exception {
        TextDatasetProvider provider = new TextDatasetProvider();
        OptionSchema schema = provider.options();
        return provider.load(schema.validate(Map.of("path", "data/tinyshakespeare/input.txt", "context", 1, "split", split),
                "data", Set.of()), EXAMPLES);
    }

    @Test
    void bigramCrossEntropyOnTinyShakespeare() throws Exception {
        Dataset train = split("train");
        Dataset validation = split("validation");
        int v = train.spec().classes();
        long[][] counts = new long[v][v];
        long[] previous = train.features().longs();
        long[] next = train.targets().longs();
        for (int i = 0; i < train.size(); i++) {
            counts[(int) previous[i]][(int) next[i]]++;
        }
        long[] rowSums = new long[v];
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                rowSums[a] += counts[a][b];
            }
        }
        double nats = 0;
        long[] vp = validation.features().longs();
        long[] vn = validation.targets().longs();
        for (int i = 0; i < validation.size(); i++) {
            int a = (int) vp[i];
            nats -= Math.log((counts[a][(int) vn[i]] + 1.0) / (rowSums[a] + v));
        }
        PerTokenLoss loss = new PerTokenLoss(nats / validation.size());
        System.out.println("bigram baseline (add-one), " + validation.size() + " validation characters, vocabulary " + v
                + ": " + loss);
        assertEquals(65, v);
        assertTrue(loss.nats() > 2.45 && loss.nats() < 2.52, loss.toString());
        assertEquals(loss.nats() / Math.log(2), loss.bits(), 1e-12);
    }
}

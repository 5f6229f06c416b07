package example;

import dev.theta.core.Experiment;
import dev.theta.core.Model;
import dev.theta.core.TrainingData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Softmax regression on the 8x8 digits, from arrays in memory to a reloaded ONNX model. */
public final class TrainDigits {
    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : "../data/digits.csv.gz");
        List<String> rows = new String(new GZIPInputStream(Files.newInputStream(csv)).readAllBytes()).lines().toList();
        float[][] x = new float[rows.size()][64];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] fields = rows.get(i).split(",");
            for (int j = 0; j < 64; j++) {
                x[i][j] = Float.parseFloat(fields[j]);
            }
            y[i] = Integer.parseInt(fields[64]);
        }
        Experiment experiment = Experiment.builder().hypothesis("linear").loss("cross-entropy")
                .optimizer("sgd", Map.of("lr", 0.05, "momentum", 0.9)).epochs(20).batchSize(32)
                .data(Map.of("test-fraction", 0.25, "validation-fraction", 0.15, "standardize", true)).build();
        try (Model model = experiment.train(TrainingData.of(x, y))) {
            Path onnx = Files.createDirectories(Path.of("target")).resolve("digits.onnx");
            model.exportOnnx(onnx);
            try (Model reloaded = Model.load(onnx)) {
                System.out.printf("test accuracy %.4f; row 0 is %d, predicted %d, reloaded from ONNX %d%n",
                        model.metrics("test").accuracy(), y[0], model.predict(x[0]), reloaded.predict(x[0]));
            }
        }
    }
}

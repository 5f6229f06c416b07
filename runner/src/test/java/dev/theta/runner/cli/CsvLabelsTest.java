package dev.theta.runner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV files as users have them: class names as labels, and features without labels to predict. */
class CsvLabelsTest {
    private static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    @TempDir
    Path dir;

    @Test
    void textLabelsTrainAndPredictionsNameTheClasses() throws IOException {
        Random r = new Random(5);
        StringBuilder labeled = new StringBuilder("a,b,c,species\n");
        StringBuilder unlabeled = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 300; i++) {
            int c = i % 3;
            String features = String.format(Locale.ROOT, "%.3f,%.3f,%.3f", r.nextGaussian() + (c == 0 ? 3 : 0),
                    r.nextGaussian() + (c == 1 ? 3 : 0), r.nextGaussian() + (c == 2 ? 3 : 0));
            labeled.append(features).append(',').append(SPECIES.get(c)).append('\n');
            if (i < 6) {
                unlabeled.append(features).append('\n');
            }
        }
        Files.writeString(dir.resolve("flowers.csv"), labeled);
        Files.writeString(dir.resolve("new.csv"), unlabeled);
        Path config = Files.writeString(dir.resolve("run.yaml"), """
                data:
                  train: {name: csv, path: flowers.csv, label: species}
                  test-fraction: 0.25
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd, lr: 0.1}
                train: {epochs: 5, batch-size: 16}
                """);
        Path run = dir.resolve("run");
        assertEquals(0, ModelCommandsTest.theta(new ByteArrayOutputStream(), "train", config.toString(), "--out", run.toString()));
        String spec = Files.readString(run.resolve("data-spec.json")).replaceAll("\\s", "");
        assertTrue(spec.contains("\"classNames\":[\"setosa\",\"versicolor\",\"virginica\"]"), spec);

        Path predict = Files.writeString(dir.resolve("predict.yaml"), """
                data:
                  train: {name: csv, path: flowers.csv, label: species}
                  test: {name: csv, path: new.csv, label: none}
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd, lr: 0.1}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "predict", run.resolve("model.onnx").toString(), predict.toString()));
        List<String> rows = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("row,label,class,p0,p1,p2", rows.get(0), "features only: no target column");
        assertEquals(7, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(SPECIES.get((i - 1) % 3), rows.get(i).split(",")[2], rows.get(i));
        }
    }
}

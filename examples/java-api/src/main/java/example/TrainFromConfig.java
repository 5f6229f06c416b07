package example;

import dev.theta.core.Experiment;
import dev.theta.core.Model;
import dev.theta.core.TrainingData;
import dev.theta.core.training.EpochMetrics;

import java.nio.file.Path;

/** Trains a config file through the library, without the command line, and prints each epoch's training seconds. */
public final class TrainFromConfig {
    public static void main(String[] args) {
        try (Model model = Experiment.fromFile(Path.of(args[0])).train(TrainingData.fromConfig())) {
            for (EpochMetrics m : model.history()) {
                if (m.split().equals("train")) {
                    System.out.printf("epoch %d train seconds %.4f%n", m.epoch(), m.seconds());
                }
            }
            System.out.printf("test accuracy %.4f%n", model.metrics("test").accuracy());
        }
    }
}

package dev.theta.runner.training;

import dev.theta.api.spi.DataException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.datasets.Splits;
import dev.theta.runner.datasets.Standardization;
import dev.theta.runner.wiring.Chosen;

import java.nio.file.Path;

/**
 * The two splits a run trains and tests on, checked to agree with each other, and the standardisation applied to
 * both (null when none).
 */
public record TrainTestData(Dataset train, Dataset test, Standardization standardization) {

    /**
     * Loads the training data and either the test data or a seeded held-out share of the training data, then
     * standardises both with the training split's statistics when asked.
     */
    public static TrainTestData load(Chosen<DatasetProvider> trainSource, Chosen<DatasetProvider> testSource,
                                     Double testFraction, boolean standardize, long seed, Path baseDir) {
        try {
            Dataset train = trainSource.provider().load(trainSource.options(), baseDir);
            Dataset test;
            if (testSource != null) {
                test = testSource.provider().load(testSource.options(), baseDir);
            } else {
                Splits.TrainTest split = Splits.split(train, testFraction, seed);
                train = split.train();
                test = split.test();
            }
            Standardization standardization = null;
            if (standardize) {
                standardization = Standardization.fit(train);
                train = standardization.apply(train);
                test = standardization.apply(test);
            }
            checkCompatible(train, test);
            return new TrainTestData(train, test, standardization);
        } catch (DataException e) {
            throw new UserError(ExitCode.DATA, e.getMessage(), e);
        }
    }

    private static void checkCompatible(Dataset train, Dataset test) {
        DataSpec a = train.spec();
        DataSpec b = test.spec();
        if (!a.featureShape().equals(b.featureShape())) {
            throw new UserError(ExitCode.DATA, "test data " + test.source() + " has features of shape " + b.featureShape()
                    + " but training data " + train.source() + " has " + a.featureShape());
        }
        if (train.size() == 0 || test.size() == 0) {
            throw new UserError(ExitCode.DATA, (train.size() == 0 ? "training" : "test") + " data is empty: "
                    + (train.size() == 0 ? train.source() : test.source()));
        }
        if (a.isClassification()) {
            long[] labels = test.targets().longs();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= a.classes()) {
                    throw new UserError(ExitCode.DATA, test.source() + ": example " + (i + 1) + " has label " + labels[i]
                            + ", outside the " + a.classes() + " classes (0.." + (a.classes() - 1) + ") of the training data " + train.source());
                }
            }
        }
    }
}

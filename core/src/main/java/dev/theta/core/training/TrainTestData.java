package dev.theta.core.training;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.RunConfig;
import dev.theta.core.datasets.Splits;
import dev.theta.core.datasets.Standardization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The splits a run trains, validates and tests on, checked to agree with each other, and the standardisation
 * applied to all of them (null when none). {@code validation} is null when the config has no validation split.
 */
public record TrainTestData(Dataset train, Dataset validation, Dataset test, Standardization standardization) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainTestData.class);

    /** Where one split comes from: a dataset plugin with its options, or data handed over in code. */
    public interface Source {
        Dataset load(Path baseDir) throws DataException;
    }

    /**
     * Loads the training data and either the test data or a seeded held-out share of the training data, then the
     * validation data or a seeded share of the training rows that remain, then standardises every split with the
     * training split's statistics when asked.
     */
    public static TrainTestData load(Source trainSource, Source testSource, Source validationSource, RunConfig.DataConfig config,
                                     long seed, Path baseDir) {
        try {
            Dataset train = trainSource.load(baseDir);
            Dataset test;
            if (testSource != null) {
                test = testSource.load(baseDir);
            } else {
                Splits.TrainTest split = Splits.split(train, config.testFraction(), seed, config.stratify(), "test");
                train = split.train();
                test = split.test();
            }
            Dataset validation = null;
            if (validationSource != null) {
                validation = validationSource.load(baseDir);
            } else if (config.validationFraction() != null) {
                Splits.TrainTest split = Splits.split(train, config.validationFraction(), seed, config.stratify(), "validation");
                train = split.train();
                validation = split.test();
            }
            Standardization standardization = null;
            if (config.standardize()) {
                standardization = Standardization.fit(train);
                train = standardization.apply(train);
                test = standardization.apply(test);
                validation = validation == null ? null : standardization.apply(validation);
            }
            warnAboutClasses(train);
            test = aligned(train, test, "test");
            validation = validation == null ? null : aligned(train, validation, "validation");
            return new TrainTestData(train, validation, test, standardization);
        } catch (DataException e) {
            throw new UserError(ExitCode.DATA, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.CONFIG, e.getMessage(), e);
        }
    }

    /** Refuses held-out splits without labels when the training data has them: they cannot be evaluated. */
    void checkHeldOutLabelled() {
        for (Dataset held : validation == null ? List.of(test) : List.of(validation, test)) {
            if (train.spec().isClassification() && !held.spec().isClassification()) {
                throw new UserError(ExitCode.DATA, held.source() + " has no labels (label: none): it can be predicted"
                        + " (theta predict), not evaluated; give labeled data or a share of the training data (test-fraction)");
            }
        }
    }

    /**
     * Classes without a single training example usually mean a stray label (999 makes 1,000 classes) or data of one
     * class: training goes on, but the user is told, since the model cannot learn a class it never sees.
     */
    static void warnAboutClasses(Dataset train) {
        DataSpec spec = train.spec();
        if (!spec.isClassification()) {
            return;
        }
        long[] perClass = new long[spec.classes()];
        for (long label : train.targets().longs()) {
            perClass[(int) label]++;
        }
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] == 0) {
                empty.add(spec.classNames().get(c));
            }
        }
        if (spec.classes() - empty.size() < 2) {
            LOG.warn("the training data {} holds a single class: a classifier trained on it predicts that class for everything",
                    train.source());
        } else if (!empty.isEmpty()) {
            LOG.warn("{} of the {} classes have no training examples ({}{}); is there a stray label in {}?", empty.size(),
                    spec.classes(), String.join(", ", empty.subList(0, Math.min(5, empty.size()))), empty.size() > 5 ? ", ..." : "",
                    train.source());
        }
    }

    /**
     * {@code test} checked against {@code train}, with its labels renumbered by class name where the two files name
     * their classes differently (a test file of text labels that lacks a class numbers the others differently).
     * A test split without labels ({@code label: none}) is kept as it is: it can be predicted, not evaluated.
     */
    private static Dataset aligned(Dataset train, Dataset test, String role) {
        checkCompatible(train, test, role);
        List<String> names = train.spec().classNames();
        List<String> given = test.spec().classNames();
        if (!test.spec().isClassification() || !train.spec().isClassification() || names.equals(given)) {
            return test;
        }
        long[] labels = test.targets().longs().clone();
        for (int i = 0; i < labels.length; i++) {
            String name = given.get((int) labels[i]);
            int index = names.indexOf(name);
            if (index < 0) {
                throw new UserError(ExitCode.DATA, test.source() + ": example " + (i + 1) + " has label " + labels[i] + " (class '" + name
                        + "'), which the training data " + train.source() + " does not have (its classes: " + String.join(", ", names) + ")");
            }
            labels[i] = index;
        }
        return new InMemoryDataset(train.spec(), test.features(), Tensor.of(test.targets().shape(), labels), test.source());
    }

    private static void checkCompatible(Dataset train, Dataset test, String role) {
        DataSpec a = train.spec();
        DataSpec b = test.spec();
        if (!a.featureShape().equals(b.featureShape())) {
            throw new UserError(ExitCode.DATA, role + " data " + test.source() + " has features of shape " + b.featureShape()
                    + " but training data " + train.source() + " has " + a.featureShape());
        }
        if (train.size() == 0 || test.size() == 0) {
            throw new UserError(ExitCode.DATA, (train.size() == 0 ? "training" : role) + " data is empty: "
                    + (train.size() == 0 ? train.source() : test.source()));
        }
        if (a.isClassification() && b.isClassification() && a.classNames().equals(b.classNames())) {
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

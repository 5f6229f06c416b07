package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.RunConfig;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.training.TrainTestData;
import dev.theta.core.task.TaskContext;
import dev.theta.core.task.TaskRuns;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Hypothesis;

import java.nio.file.Path;

/** The data of a training run, read from the config's dataset plugins, and what depends on its size. */
public final class DataModule extends AbstractModule {
    @Provides
    @Singleton
    TrainTestData data(ChosenPlugins plugins, RunConfig c, ConfigDocument doc) {
        Path base = doc.baseDirectory();
        return TrainTestData.load(source(plugins.trainData()), source(plugins.testData()), source(plugins.validationData()), c.data(),
                c.seed(), base);
    }

    private static TrainTestData.Source source(Chosen<DatasetProvider> chosen) {
        return chosen == null ? null : base -> chosen.provider().load(chosen.options(), base);
    }

    /** The task extensions whose run this is (ServiceLoader), decided once per run. */
    @Provides
    @Singleton
    TaskRuns tasks(Hypothesis hypothesis, TrainTestData data, Backend backend) {
        return TaskRuns.discover(new TaskContext(hypothesis, data, backend));
    }

    @Provides
    DataSpec spec(TrainTestData data) {
        return data.train().spec();
    }

    @Provides
    Preprocessing preprocessing(TrainTestData data) {
        return new Preprocessing(data.standardization());
    }

    /** The learning rate of every step: the schedule applied to the optimizer's {@code lr} option. */
    @Provides
    @Singleton
    LearningRateSchedule schedule(ChosenPlugins plugins, RunConfig c, TrainTestData data) {
        // A run in iterations is max-iters / eval-interval "epochs" of eval-interval steps: max-iters steps in all.
        long stepsPerUnit = c.train().stepsPerUnit(data.train().size());
        double lr = plugins.optimizer().options().getDouble("lr");
        return plugins.schedule().provider().create(plugins.schedule().options(), lr, stepsPerUnit, c.train().units());
    }
}

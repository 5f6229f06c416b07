package dev.theta.optimizers;

import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

/**
 * Every schedule, with and without warm-up, per epoch and per step: 50 steps of lr against an emulated PyTorch
 * loop; and optimizer trajectories driven by a schedule.
 */
class ScheduleTest {
    private static final double BASE_LR = 0.1;

    static Stream<Arguments> schedules() {
        return Stream.of(
                Arguments.of("constant", Map.of()),
                Arguments.of("constant", Map.of("warmup", 3)),
                Arguments.of("constant", Map.of("unit", "step", "warmup", 10, "warmup-start-factor", 0.01)),
                Arguments.of("step", Map.of("step-size", 3)),
                Arguments.of("step", Map.of("step-size", 2, "gamma", 0.5, "warmup", 2, "warmup-start-factor", 0.1)),
                Arguments.of("step", Map.of("unit", "step", "step-size", 7, "gamma", 0.5)),
                Arguments.of("step", Map.of("unit", "step", "step-size", 7, "warmup", 5)),
                Arguments.of("exponential", Map.of("gamma", 0.8)),
                Arguments.of("exponential", Map.of("gamma", 0.8, "warmup", 4)),
                Arguments.of("exponential", Map.of("unit", "step", "gamma", 0.95, "warmup", 8, "warmup-start-factor", 1.0)),
                Arguments.of("cosine", Map.of()),
                Arguments.of("cosine", Map.of("warmup", 2)),
                Arguments.of("cosine", Map.of("t-max", 3, "eta-min", 0.01)),
                Arguments.of("cosine", Map.of("t-max", 4, "eta-min", 0.02, "warmup", 1, "warmup-start-factor", 0.5)),
                Arguments.of("cosine", Map.of("unit", "step")),
                Arguments.of("cosine", Map.of("unit", "step", "warmup", 10)),
                Arguments.of("cosine", Map.of("unit", "step", "t-max", 12, "eta-min", 0.01, "warmup", 3)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("schedules")
    void matchesPyTorchSchedulerLoop(String name, Map<String, Object> raw) {
        int stepsPerEpoch = 5;
        int epochs = 10;
        LearningRateSchedule schedule = Plugins.createSchedule(name, raw, BASE_LR, stepsPerEpoch, epochs);
        double[] expected = TorchSchedulers.lrs(name, raw, BASE_LR, stepsPerEpoch, epochs);
        double[] actual = new double[expected.length];
        for (int t = 1; t <= actual.length; t++) {
            actual[t - 1] = schedule.at(t);
        }
        GraphHarness.assertClose(expected, actual, 1e-12, 1e-15, name + " " + raw + " lr of step");
    }

    static Stream<Arguments> drivenTrajectories() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Trajectory problem : Trajectory.values()) {
            b.add(Arguments.of(problem, "adam", Map.of("lr", 0.05), "cosine", Map.of("unit", "step", "warmup", 5)));
            b.add(Arguments.of(problem, "adamw", Map.of("lr", 0.05), "cosine", Map.of("t-max", 2, "eta-min", 0.001)));
            b.add(Arguments.of(problem, "sgd", Map.of("lr", 0.05, "momentum", 0.9), "step", Map.of("step-size", 2, "gamma", 0.5)));
            b.add(Arguments.of(problem, "rmsprop", Map.of("momentum", 0.5), "exponential", Map.of("gamma", 0.7, "warmup", 1)));
            b.add(Arguments.of(problem, "adagrad", Map.of("lr", 0.05), "constant", Map.of("unit", "step", "warmup", 10)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{1} {2} with {3} {4} on {0}")
    @MethodSource("drivenTrajectories")
    void drivesOptimizerTrajectory(Trajectory problem, String optimizer, Map<String, Object> options,
                                   String schedule, Map<String, Object> scheduleOptions) {
        double base = References.lr(optimizer, options);
        int stepsPerEpoch = 10;
        int epochs = 5;
        LearningRateSchedule lr = Plugins.createSchedule(schedule, scheduleOptions, base, stepsPerEpoch, epochs);
        double[] torchLr = TorchSchedulers.lrs(schedule, scheduleOptions, base, stepsPerEpoch, epochs);
        Trajectory.Reference rule = References.of(optimizer, options);
        problem.assertFollows(Plugins.createOptimizer(optimizer, options), lr::at,
                (w, g, t, ignored) -> rule.step(w, g, t, torchLr[t - 1]), optimizer + " with " + schedule + " " + scheduleOptions);
    }
}

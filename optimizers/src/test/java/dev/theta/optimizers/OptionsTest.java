package dev.theta.optimizers;

import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's defaults, and refusals of bad options that name the option, the value and the allowed range. */
class OptionsTest {
    @Test
    void optimizerDefaultsArePyTorchs() {
        Map<String, Map<String, Object>> torch = Map.of(
                "sgd", Map.of("lr", 1e-3, "momentum", 0.0, "dampening", 0.0, "nesterov", false, "weight-decay", 0.0),
                "adagrad", Map.of("lr", 1e-2, "lr-decay", 0.0, "weight-decay", 0.0, "initial-accumulator", 0.0, "eps", 1e-10),
                "rmsprop", Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight-decay", 0.0, "momentum", 0.0, "centered", false),
                "adam", Map.of("lr", 1e-3, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight-decay", 0.0, "amsgrad", false),
                "adamw", Map.of("lr", 1e-3, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight-decay", 1e-2, "amsgrad", false));
        assertEquals(torch.keySet().size(), Plugins.REGISTRY.all(PluginKind.OPTIMIZER).size());
        torch.forEach((name, defaults) -> assertEquals(defaults,
                Plugins.optimizer(name).options().validate(Map.of(), "optimizer", List.of()).asMap(), name));
    }

    @Test
    void scheduleDefaultsArePyTorchs() {
        Map<String, Object> common = Map.of("unit", "epoch", "warmup", 0, "warmup-start-factor", 1.0 / 3);
        Map<String, Map<String, Object>> torch = Map.of(
                "constant", Map.of(),
                "step", Map.of("step-size", 1, "gamma", 0.1),
                "exponential", Map.of("gamma", 0.5),
                "cosine", Map.of("t-max", 0, "eta-min", 0.0));
        assertEquals(torch.keySet().size(), Plugins.REGISTRY.all(PluginKind.SCHEDULE).size());
        torch.forEach((name, own) -> {
            Map<String, Object> raw = name.equals("step") ? Map.of("step-size", 1)
                    : name.equals("exponential") ? Map.of("gamma", 0.5) : Map.of();
            Map<String, Object> expected = new HashMap<>(common);
            expected.putAll(own);
            assertEquals(expected, Plugins.schedule(name).options().validate(raw, "schedule", List.of()).asMap(), name);
        });
    }

    static Stream<Arguments> badOptimizerOptions() {
        return Stream.of(
                Arguments.of("adam", Map.of("betas", List.of(0.9, 1.2)), "optimizer.betas[1] = 1.2: must be in [0, 1)"),
                Arguments.of("adam", Map.of("betas", List.of(-0.1, 0.9)), "optimizer.betas[0] = -0.1: must be in [0, 1)"),
                Arguments.of("adam", Map.of("betas", List.of(0.9)), "optimizer.betas = [0.9]: expected 2 numbers [β₁, β₂], got 1"),
                Arguments.of("adamw", Map.of("betas", List.of(0.9, 0.99, 0.999)), "optimizer.betas = [0.9, 0.99, 0.999]: expected 2 numbers"),
                Arguments.of("adamw", Map.of("betas", 0.9), "optimizer.betas = 0.9: expected a list of numbers"),
                Arguments.of("adam", Map.of("lr", -0.1), "optimizer.lr = -0.1: must be in [0, inf)"),
                Arguments.of("adam", Map.of("eps", -1e-8), "optimizer.eps = -1.0E-8: must be in [0, inf)"),
                Arguments.of("adamw", Map.of("weight-decay", -0.01), "optimizer.weight-decay = -0.01: must be in [0, inf)"),
                Arguments.of("adam", Map.of("amsgrad", "yes"), "optimizer.amsgrad = 'yes': expected true or false"),
                Arguments.of("adam", Map.of("beta1", 0.9), "optimizer.beta1: unknown option"),
                Arguments.of("adagrad", Map.of("lr-decay", -1), "optimizer.lr-decay = -1: must be in [0, inf)"),
                Arguments.of("adagrad", Map.of("initial-accumulator", -0.5), "optimizer.initial-accumulator = -0.5: must be in [0, inf)"),
                Arguments.of("adagrad", Map.of("eps", -1), "optimizer.eps = -1: must be in [0, inf)"),
                Arguments.of("adagrad", Map.of("weight-decay", -0.1), "optimizer.weight-decay = -0.1: must be in [0, inf)"),
                Arguments.of("rmsprop", Map.of("alpha", 1.5), "optimizer.alpha = 1.5: must be in [0, 1]"),
                Arguments.of("rmsprop", Map.of("momentum", -0.9), "optimizer.momentum = -0.9: must be in [0, inf)"),
                Arguments.of("rmsprop", Map.of("centered", 1), "optimizer.centered = 1: expected true or false"),
                Arguments.of("rmsprop", Map.of("eps", -1e-3), "optimizer.eps = -0.001: must be in [0, inf)"),
                Arguments.of("sgd", Map.of("lr", -0.1), "optimizer.lr = -0.1: must be in [0, inf)"),
                Arguments.of("sgd", Map.of("dampening", 2), "optimizer.dampening = 2: must be in [0, 1]"),
                Arguments.of("sgd", Map.of("nesterov", true), "optimizer.nesterov: Nesterov momentum requires a momentum > 0"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badOptimizerOptions")
    void refusesBadOptimizerOptions(String name, Map<String, Object> raw, String message) {
        OptionException e = assertThrows(OptionException.class, () -> Plugins.createOptimizer(name, raw));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    static Stream<Arguments> badScheduleOptions() {
        return Stream.of(
                Arguments.of("step", Map.of(), "schedule.step-size: required option is missing"),
                Arguments.of("step", Map.of("step-size", 0), "schedule.step-size = 0: must be in [1, inf)"),
                Arguments.of("step", Map.of("step-size", 2.5), "schedule.step-size = 2.5: expected an integer"),
                Arguments.of("step", Map.of("step-size", 2, "gamma", 0), "schedule.gamma = 0: must be in (0, inf)"),
                Arguments.of("exponential", Map.of(), "schedule.gamma: required option is missing"),
                Arguments.of("exponential", Map.of("gamma", -0.9), "schedule.gamma = -0.9: must be in (0, inf)"),
                Arguments.of("cosine", Map.of("t-max", -1), "schedule.t-max = -1: must be in [0, inf)"),
                Arguments.of("cosine", Map.of("eta-min", -0.1), "schedule.eta-min = -0.1: must be in [0, inf)"),
                Arguments.of("cosine", Map.of("warmup", 10), "schedule.warmup = 10: leaves no epochs of the run for the cosine"),
                Arguments.of("cosine", Map.of("unit", "step", "warmup", 60), "schedule.warmup = 60: leaves no steps of the run"),
                Arguments.of("constant", Map.of("warmup", -1), "schedule.warmup = -1: must be in [0, inf)"),
                Arguments.of("constant", Map.of("warmup-start-factor", 0), "schedule.warmup-start-factor = 0: must be in (0, 1]"),
                Arguments.of("exponential", Map.of("gamma", 0.9, "warmup-start-factor", 1.5),
                        "schedule.warmup-start-factor = 1.5: must be in (0, 1]"),
                Arguments.of("constant", Map.of("unit", "epochs"),
                        "schedule.unit = 'epochs': expected one of epoch, step (did you mean 'epoch'?)"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badScheduleOptions")
    void refusesBadScheduleOptions(String name, Map<String, Object> raw, String message) {
        OptionException e = assertThrows(OptionException.class, () -> Plugins.createSchedule(name, raw, 0.1, 5, 10));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}

package dev.theta.optimizers;

import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.spi.ScheduleProvider;

import java.util.List;
import java.util.Map;

/** Creates this module's plugins the way the runner does: found by name through ServiceLoader, options validated. */
final class Plugins {
    static final PluginRegistry REGISTRY = PluginRegistry.discover(Plugins.class.getClassLoader());

    private Plugins() {
    }

    static OptimizerProvider optimizer(String name) {
        return REGISTRY.get(PluginKind.OPTIMIZER, OptimizerProvider.class, name);
    }

    static ScheduleProvider schedule(String name) {
        return REGISTRY.get(PluginKind.SCHEDULE, ScheduleProvider.class, name);
    }

    static Optimizer createOptimizer(String name, Map<String, ?> raw) {
        OptimizerProvider p = optimizer(name);
        return p.create(validate(p, raw, "optimizer"));
    }

    static LearningRateSchedule createSchedule(String name, Map<String, ?> raw, double baseLr, long stepsPerEpoch, int epochs) {
        ScheduleProvider p = schedule(name);
        return p.create(validate(p, raw, "schedule"), baseLr, stepsPerEpoch, epochs);
    }

    private static Options validate(Provider p, Map<String, ?> raw, String prefix) {
        return p.options().validate(raw, prefix, List.of());
    }
}

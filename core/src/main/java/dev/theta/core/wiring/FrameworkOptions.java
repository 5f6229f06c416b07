package dev.theta.core.wiring;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Range;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Reduction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The options theta itself reads from a plugin's section: {@code optimizer.lr} (the schedule's base rate),
 * {@code optimizer.groups} (per-parameter options, see {@link ParameterGroups}) and {@code loss.reduction} (how the loop reduces per-example losses). theta declares them for every plugin of the kind;
 * a plugin may declare one itself to give its own default and range (the built-in optimizers' PyTorch defaults),
 * and a plugin that does not still accepts it, so a third-party optimizer without an {@code lr} option trains.
 */
final class FrameworkOptions {
    static final Option LEARNING_RATE = Option.number("lr", 0.01, Range.POSITIVE,
            "learning rate η, the base rate of the schedule (read by theta for every optimizer)");
    static final Option GROUPS = Option.list("groups", null,
            "parameter groups with their own options, PyTorch's param_groups: [{params: [GLOB, ...], kind: vector|matrix,"
                    + " OPTION: VALUE, ...}]; a parameter takes the first group it is in (read by theta for every optimizer)").asOptional();
    static final Option REDUCTION = Option.choice("reduction", Reduction.MEAN.label(),
            Arrays.stream(Reduction.values()).map(Reduction::label).toList(),
            "how per-example losses become the objective: mean, sum or none (applied by theta for every loss)");
    private static final Map<PluginKind, List<Option>> OWNED = Map.of(
            PluginKind.OPTIMIZER, List.of(LEARNING_RATE, GROUPS),
            PluginKind.LOSS, List.of(REDUCTION));

    private FrameworkOptions() {
    }

    /** {@code schema} with theta's options of {@code kind} that it does not declare itself. */
    static OptionSchema withFramework(PluginKind kind, OptionSchema schema) {
        List<Option> all = new ArrayList<>(schema.options());
        for (Option o : OWNED.getOrDefault(kind, List.of())) {
            if (schema.get(o.name()) == null) {
                all.add(o);
            }
        }
        return OptionSchema.of(all.toArray(Option[]::new));
    }

    /**
     * {@code loss} with {@code reduction} applied, for a loss whose plugin does not declare the option (it then
     * reports the default mean, whatever the config says).
     */
    static Loss withReduction(Loss loss, Reduction reduction) {
        return new Loss() {
            @Override
            public int scores(DataSpec data) {
                return loss.scores(data);
            }

            @Override
            public Value perExample(Value scores, Value target) {
                return loss.perExample(scores, target);
            }

            @Override
            public Decision decision() {
                return loss.decision();
            }

            @Override
            public Reduction reduction() {
                return reduction;
            }

            @Override
            public Value meanWeights(Value target) {
                return loss.meanWeights(target);
            }

            @Override
            public String notTrainableReason() {
                return loss.notTrainableReason();
            }
        };
    }
}

package dev.theta.core.wiring;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.Names;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.ParameterUpdate;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.train.TrainingProgram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The optimizer's parameter groups, PyTorch's {@code param_groups}: {@code optimizer.groups} is a list of
 * {@code {params: [GLOB, ...], kind: vector|matrix, OPTION: VALUE, ...}}, each overriding any of the optimizer's
 * options for its parameters. A parameter is in a group when its name matches one of the globs ({@code *}: any run
 * of characters, {@code ?}: one) or its rank is the group's kind (vector: rank ≤ 1, matrix: rank ≥ 2); it takes the
 * first group it is in, else the top-level options. A group's {@code lr} scales the schedule's rate by
 * lr / optimizer.lr. The plugin builds one optimizer per group and never sees the groups.
 */
final class ParameterGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ParameterGroups.class);
    private static final Option PARAMS = Option.list("params", null, "parameter-name globs: * any characters, ? one").asOptional();
    private static final Option KIND = Option.choice("kind", null, List.of("vector", "matrix"),
            "vector: every parameter of rank <= 1, matrix: every parameter of rank >= 2").asOptional();

    private final Chosen<OptimizerProvider> chosen;
    private final List<Group> groups;

    private ParameterGroups(Chosen<OptimizerProvider> chosen, List<Group> groups) {
        this.chosen = chosen;
        this.groups = groups;
    }

    /** A group: its config path, its globs, its kind (null: none), its options and its scale of the schedule's rate. */
    private record Group(String path, List<String> globs, List<Pattern> patterns, String kind, Options options,
                         Map<String, Object> overrides, double lrScale) {
        boolean holds(String name, Shape shape) {
            if (kind != null && kind.equals("vector") == (shape.rank() <= 1)) {
                return true;
            }
            return patterns.stream().anyMatch(p -> p.matcher(name).matches());
        }
    }

    /** The groups of the chosen optimizer's options, each validated like the top level; none when not given. */
    static ParameterGroups of(Chosen<OptimizerProvider> chosen) {
        Options top = chosen.options();
        String key = FrameworkOptions.GROUPS.name();
        if (!top.has(key)) {
            return new ParameterGroups(chosen, List.of());
        }
        List<Option> options = new ArrayList<>(List.of(PARAMS, KIND));
        FrameworkOptions.withFramework(PluginKind.OPTIMIZER, chosen.provider().options()).options().stream()
                .filter(o -> !o.name().equals(key)).forEach(options::add);
        OptionSchema schema = OptionSchema.of(options.toArray(Option[]::new));
        Map<String, Object> inherited = new LinkedHashMap<>();
        top.asMap().forEach((name, value) -> {
            if (value != null && !name.equals(key)) {
                inherited.put(name, value);
            }
        });
        List<?> items = top.getItems(key);
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = top.prefix() + "." + key + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> raw)) {
                throw new OptionException(path, items.get(i), "expected a map such as {params: ['*.bias'], weight-decay: 0}");
            }
            Map<String, Object> overrides = new LinkedHashMap<>();
            raw.forEach((k, v) -> overrides.put(String.valueOf(k), v));
            Map<String, Object> merged = new LinkedHashMap<>(inherited);
            merged.putAll(overrides);
            Options o = schema.validate(merged, path, List.of());
            groups.add(group(path, o, overrides, top.getDouble(FrameworkOptions.LEARNING_RATE.name())));
        }
        return new ParameterGroups(chosen, List.copyOf(groups));
    }

    private static Group group(String path, Options o, Map<String, Object> overrides, double topLr) {
        List<String> globs = new ArrayList<>();
        if (o.has(PARAMS.name())) {
            List<?> items = o.getItems(PARAMS.name());
            for (int j = 0; j < items.size(); j++) {
                if (!(items.get(j) instanceof String glob) || glob.isEmpty()) {
                    throw new OptionException(path + ".params[" + j + "]", items.get(j), "expected a parameter-name glob such as '*.bias'");
                }
                globs.add(glob);
            }
        }
        String kind = o.has(KIND.name()) ? o.getString(KIND.name()) : null;
        if (globs.isEmpty() && kind == null) {
            throw new OptionException(path, "say which parameters the group holds: params (name globs) and/or kind (vector or matrix)");
        }
        double lr = o.getDouble(FrameworkOptions.LEARNING_RATE.name());
        if (lr != topLr && topLr == 0) {
            throw new OptionException(path + ".lr", lr, "a group's lr scales the schedule by lr / optimizer.lr, which needs optimizer.lr > 0");
        }
        overrides.remove(PARAMS.name());
        overrides.remove(KIND.name());
        return new Group(path, List.copyOf(globs), globs.stream().map(ParameterGroups::glob).toList(), kind, o,
                overrides, lr == topLr ? 1 : lr / topLr);
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("(?<=[*?])|(?=[*?])")) {
            regex.append(switch (literal) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(literal);
            });
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * The optimizer of a run: the plugin's, or with groups one per group, applied to each parameter by its group.
     * With groups, the hypothesis's parameters are listed first, to check that every glob matches one and to log
     * which parameters each group holds.
     */
    Optimizer create(Hypothesis hypothesis, DataSpec data) {
        return create(groups.isEmpty() ? null : parameterShapes(hypothesis, data));
    }

    /** As {@link #create(Hypothesis, DataSpec)}, checking the globs against {@code shapes} unless that is null. */
    Optimizer create(Map<String, Shape> shapes) {
        Optimizer defaults = chosen.provider().create(chosen.options());
        if (groups.isEmpty()) {
            return defaults;
        }
        List<Optimizer> optimizers = groups.stream().map(g -> chosen.provider().create(g.options())).toList();
        if (shapes != null) {
            check(shapes);
        }
        return u -> {
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                if (g.holds(u.name(), u.parameter().shape())) {
                    return optimizers.get(i).update(g.lrScale() == 1 ? u : new ScaledUpdate(u, g.lrScale()));
                }
            }
            return defaults.update(u);
        };
    }

    /** Fails on a glob that matches no parameter (a typo would leave its parameters in another group) and logs the groups. */
    private void check(Map<String, Shape> shapes) {
        List<String> names = List.copyOf(shapes.keySet());
        for (Group g : groups) {
            for (int j = 0; j < g.globs().size(); j++) {
                Pattern p = g.patterns().get(j);
                if (names.stream().noneMatch(n -> p.matcher(n).matches())) {
                    String near = Names.nearest(g.globs().get(j), names);
                    throw new OptionException(g.path() + ".params[" + j + "]", g.globs().get(j), "matches no parameter"
                            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; the parameters are " + String.join(", ", names));
                }
            }
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        groups.forEach(g -> members.put(g.path(), new ArrayList<>()));
        String top = chosen.options().prefix();
        members.put(top, new ArrayList<>());
        shapes.forEach((name, shape) -> members.get(groups.stream().filter(g -> g.holds(name, shape)).findFirst()
                .map(Group::path).orElse(top)).add(name));
        for (Group g : groups) {
            String with = g.overrides().isEmpty() ? "the top-level options"
                    : g.overrides().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            LOG.info("{} with {}: {}", g.path(), with, listed(members.get(g.path())));
        }
        LOG.info("{} with the top-level options: {}", top, listed(members.get(top)));
    }

    private static String listed(List<String> names) {
        return names.isEmpty() ? "no parameters" : String.join(", ", names);
    }

    /**
     * The hypothesis's parameters and their shapes, from building its scores once more on a graph of its own; null
     * when that fails, which the training program's build then reports with the plugin's name.
     */
    static Map<String, Shape> parameterShapes(Hypothesis hypothesis, DataSpec data) {
        Graph g = new Graph();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        int[] dims = new int[data.featureShape().rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(data.featureShape().dims(), 0, dims, 1, data.featureShape().rank());
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, data.featureType(), Shape.of(dims));
        try {
            hypothesis.scores((name, shape, fanIn, fanOut, init) -> {
                shapes.put(name, shape);
                return g.input(TrainingProgram.parameter(name), Role.PARAMETER, DType.FLOAT32, shape);
            }, x);
        } catch (RuntimeException e) {
            return null;
        }
        return shapes;
    }

    /** A parameter's update with the learning rate scaled by its group's lr / optimizer.lr. */
    private static final class ScaledUpdate implements ParameterUpdate {
        private final ParameterUpdate u;
        private final double scale;
        private Value lr;

        ScaledUpdate(ParameterUpdate u, double scale) {
            this.u = u;
            this.scale = scale;
        }

        @Override public String name() { return u.name(); }
        @Override public Value parameter() { return u.parameter(); }
        @Override public Value gradient() { return u.gradient(); }
        @Override public Value step() { return u.step(); }
        @Override public Value state(String name, float initial) { return u.state(name, initial); }
        @Override public void updateState(String name, Value next) { u.updateState(name, next); }

        @Override
        public Value learningRate() {
            if (lr == null) {
                lr = u.learningRate().mul((float) scale);
            }
            return lr;
        }
    }
}

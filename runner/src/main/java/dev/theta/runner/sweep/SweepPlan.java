package dev.theta.runner.sweep;

import dev.theta.api.options.OptionException;
import dev.theta.core.config.Selection;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.RunConfig.EarlyStopping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sweep:} block of a config: a grid over config paths, and the metric the summary is sorted by.
 * <pre>
 * sweep:
 *   metric: validation.accuracy  # split.metric, as in train.early-stopping (default validation.loss)
 *   mode: max                    # auto (default): min for losses, max otherwise
 *   grid:
 *     loss.name: [logistic, hinge]
 *     optimizer.lr: [0.1, 0.01]
 * </pre>
 */
public record SweepPlan(String metric, boolean minimise, Map<String, List<Object>> grid) {
    public static final String KEY = "sweep";

    /** One point of the grid: a name usable as a directory and the values to set. */
    public record Combination(String name, Map<String, Object> values) {
        /** A copy of {@code base} with this combination's values set and the sweep block removed. */
        public ConfigDocument apply(ConfigDocument base, String runName) {
            ConfigDocument doc = base.copy();
            doc.root().remove(KEY);
            values.forEach((path, value) -> doc.set(path, value, "sweep " + path));
            doc.set("name", runName, "sweep");
            return doc;
        }
    }

    public static SweepPlan of(ConfigDocument doc) {
        Object block = doc.root().get(KEY);
        if (!(block instanceof Map<?, ?> sweep)) {
            throw new UserError(ExitCode.CONFIG, doc.locate(KEY) + ": theta sweep needs a sweep block: "
                    + "sweep: {metric: validation.accuracy, grid: {optimizer.lr: [0.1, 0.01]}}");
        }
        for (Object key : sweep.keySet()) {
            if (!List.of("metric", "mode", "grid", Selection.ON_TEST).contains(key)) {
                throw new UserError(ExitCode.CONFIG, doc.locate(KEY + "." + key) + ": sweep." + key
                        + ": unknown option; known options: metric, mode, grid, " + Selection.ON_TEST);
            }
        }
        Object metric = sweep.get("metric") == null ? "validation.loss" : sweep.get("metric");
        if (!EarlyStopping.METRICS.contains(metric)) {
            throw new UserError(ExitCode.CONFIG, doc.locate(KEY + ".metric") + ": sweep.metric = '" + metric
                    + "': expected one of " + String.join(", ", EarlyStopping.METRICS));
        }
        boolean hasValidation = doc.root().get("data") instanceof Map<?, ?> data
                && (data.containsKey("validation") || data.containsKey("validation-fraction"));
        try {
            Selection.check(KEY, (String) metric, Boolean.TRUE.equals(sweep.get(Selection.ON_TEST)), hasValidation);
        } catch (OptionException e) {
            throw new UserError(ExitCode.CONFIG, doc.locate(KEY + ".metric") + ": " + e.getMessage(), e);
        }
        Object mode = sweep.get("mode") == null ? "auto" : sweep.get("mode");
        if (!List.of("auto", "min", "max").contains(mode)) {
            throw new UserError(ExitCode.CONFIG, doc.locate(KEY + ".mode") + ": sweep.mode = '" + mode + "': expected auto, min or max");
        }
        boolean minimise = mode.equals("auto") ? ((String) metric).endsWith(".loss") : mode.equals("min");
        if (!(sweep.get("grid") instanceof Map<?, ?> grid) || grid.isEmpty()) {
            throw new UserError(ExitCode.CONFIG, doc.locate(KEY + ".grid") + ": sweep.grid: expected a map from config paths to lists of values, e.g. {optimizer.lr: [0.1, 0.01]}");
        }
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        grid.forEach((path, values) -> {
            if (!(values instanceof List<?> list) || list.isEmpty()) {
                throw new UserError(ExitCode.CONFIG, doc.locate(KEY + ".grid." + path) + ": sweep.grid." + path + ": expected a non-empty list of values");
            }
            axes.put((String) path, List.copyOf(list));
        });
        return new SweepPlan((String) metric, minimise, axes);
    }

    /** Every combination, the last grid key varying fastest. */
    public List<Combination> combinations() {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        List<Combination> out = new ArrayList<>();
        int width = Integer.toString(points.size()).length();
        for (int i = 0; i < points.size(); i++) {
            StringBuilder name = new StringBuilder(String.format(Locale.ROOT, "%0" + width + "d", i + 1));
            points.get(i).forEach((path, v) -> name.append('_').append(path).append('-').append(text(v)));
            out.add(new Combination(name.toString().replaceAll("[^A-Za-z0-9._-]", "-"), points.get(i)));
        }
        return out;
    }

    /** A value as it reads in names and tables. */
    public static String text(Object v) {
        return String.valueOf(v);
    }
}

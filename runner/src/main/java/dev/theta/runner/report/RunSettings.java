package dev.theta.runner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.theta.api.spi.DataSpec;
import dev.theta.runner.run.SpecFile;
import dev.theta.runner.training.EpochMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run was: its hyperparameters (the resolved {@code config.yaml} the run directory holds, every default
 * filled in) and its data ({@code data-spec.json} and the examples each split held), as tables.
 */
final class RunSettings {
    static final String CONFIG = "config.yaml";
    /** Class names listed before the rest are counted only. */
    private static final int LISTED_CLASSES = 12;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunSettings() {
    }

    /** Every setting of {@code config.yaml} by dotted path ({@code optimizer.lr}); empty when the file is absent. */
    static Map<String, String> hyperparameters(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        Map<String, String> flat = new LinkedHashMap<>();
        if (Files.exists(file)) {
            flatten("", YAML.readValue(file.toFile(), Object.class), flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (value instanceof List<?> list) {
            out.put(prefix, list.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]")));
        } else {
            out.put(prefix, value instanceof Map<?, ?> ? "{}" : String.valueOf(value));
        }
    }

    /** The data's shape, classes and preprocessing, and how many examples each split held; empty without a spec. */
    static Map<String, String> data(Path dir, List<EpochMetrics> history) throws IOException {
        Path file = dir.resolve(SpecFile.NAME);
        Map<String, String> facts = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return facts;
        }
        SpecFile.Stored stored = SpecFile.read(file);
        DataSpec spec = stored.spec();
        int[] dims = spec.featureShape().dims();
        facts.put("features per example", Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" \u00d7 "))
                + (dims.length > 1 ? " (" + spec.featureSize() + ")" : "") + ", " + spec.featureType().name().toLowerCase(Locale.ROOT));
        if (spec.isClassification()) {
            facts.put("classes", Integer.toString(spec.classes()));
            List<String> names = spec.classNames();
            String listed = String.join(", ", names.subList(0, Math.min(LISTED_CLASSES, names.size())));
            facts.put("class names", names.size() > LISTED_CLASSES ? listed + ", \u2026 (" + names.size() + " in all)" : listed);
        } else {
            facts.put("target", "real values, shape " + Arrays.toString(spec.targetShape().dims()));
        }
        facts.put("standardised", stored.preprocessing().standardization() == null ? "no" : "yes, with train statistics");
        Map<String, Long> examples = new LinkedHashMap<>();
        history.forEach(m -> examples.put(m.split(), m.examples()));
        examples.forEach((split, n) -> facts.put(split + " examples", Long.toString(n)));
        return facts;
    }

    /** A card with a two-column table of {@code rows}, or nothing when there are none. */
    static String table(String heading, String keyColumn, Map<String, String> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        List<List<String>> cells = new ArrayList<>();
        rows.forEach((k, v) -> cells.add(List.of(Html.escape(k), Html.escape(v))));
        return "<div class=\"card\"><h3>" + Html.escape(heading) + "</h3>\n" + Html.table(List.of(keyColumn, "value"), cells, 2) + "</div>\n";
    }
}

package dev.theta.runner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.theta.api.spi.DataSpec;
import dev.theta.core.run.SpecFile;
import dev.theta.core.training.EpochMetrics;

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
    private static final String RUN = "run";
    /** Class names listed before the rest are counted only. */
    private static final int LISTED_CLASSES = 12;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunSettings() {
    }

    /**
     * Every setting of {@code config.yaml} by section (its first key: data, optimizer, train, ...; top-level values
     * such as name and seed under "run"), each by the rest of its dotted path; empty when the file is absent.
     */
    static Map<String, Map<String, String>> hyperparameters(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        Map<String, String> flat = new LinkedHashMap<>();
        if (Files.exists(file)) {
            flatten("", YAML.readValue(file.toFile(), Object.class), flat);
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        sections.put(RUN, new LinkedHashMap<>());
        flat.forEach((path, value) -> {
            int dot = path.indexOf('.');
            String section = dot < 0 ? RUN : path.substring(0, dot);
            sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(dot < 0 ? path : path.substring(dot + 1), value);
        });
        sections.values().removeIf(Map::isEmpty);
        return sections;
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

    /** The data and every section of the hyperparameters, each a card with a two-column table, in a grid. */
    static String cards(Map<String, String> data, Map<String, Map<String, String>> hyperparameters) {
        List<String> cards = new ArrayList<>();
        if (!data.isEmpty()) {
            cards.add(card("dataset (data-spec.json)", data));
        }
        hyperparameters.forEach((section, rows) -> cards.add(card(section, rows)));
        return cards.isEmpty() ? "" : "<div class=\"settings\">\n" + String.join("", cards) + "</div>\n";
    }

    private static String card(String heading, Map<String, String> rows) {
        List<List<String>> cells = new ArrayList<>();
        rows.forEach((k, v) -> cells.add(List.of(Html.escape(k), Html.escape(v))));
        return "<div class=\"card\"><h3>" + Html.escape(heading) + "</h3>\n" + Html.table(List.of(), cells, 2) + "</div>\n";
    }
}

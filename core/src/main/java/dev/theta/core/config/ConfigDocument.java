package dev.theta.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;

import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file read into plain maps, lists and scalars, remembering the line each value came from so that every
 * error can point at {@code file:line}. YAML and JSON both work (JSON is YAML); {@code --set} overrides are applied
 * on top and remembered as their own source.
 */
public final class ConfigDocument {
    private final Path file;
    private final Path baseDirectory;
    private final Map<String, Object> root;
    private final Map<String, String> locations = new HashMap<>();

    private ConfigDocument(Path file, Path baseDirectory, Map<String, Object> root) {
        this.file = file;
        this.baseDirectory = baseDirectory;
        this.root = root;
    }

    /** Reads {@code file}; relative data paths in it are resolved against the file's directory. */
    public static ConfigDocument read(Path file) {
        return read(file, file.toAbsolutePath().getParent());
    }

    /**
     * Reads {@code file} with relative data paths resolved against {@code baseDirectory}: a run directory's
     * {@code config.yaml} names data relative to the config the run was started from.
     */
    public static ConfigDocument read(Path file, Path baseDirectory) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCode.CONFIG, file + ": no such config file");
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, file + ": cannot read config file: " + e.getMessage());
        }
        return parse(text, file, baseDirectory);
    }

    /**
     * Reads YAML or JSON {@code text}, which errors call {@code source} (a file name, e.g. {@code experiment.yaml});
     * relative data paths are resolved against {@code baseDirectory}.
     */
    public static ConfigDocument parse(String text, Path source, Path baseDirectory) {
        ConfigDocument doc = new ConfigDocument(source, baseDirectory, new LinkedHashMap<>());
        Object parsed = doc.parse(text, source.toString(), "");
        if (parsed == null) {
            throw new UserError(ExitCode.CONFIG, source + ": the config is empty");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new UserError(ExitCode.CONFIG, source + ":1: a config must be a map of keys (name, data, hypothesis, ...)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        doc.root.putAll(m);
        return doc;
    }

    /** A config built in code: {@code root}'s maps, lists and scalars are copied; errors name {@code source}. */
    @SuppressWarnings("unchecked")
    public static ConfigDocument of(Map<String, ?> root, Path source, Path baseDirectory) {
        ConfigDocument doc = new ConfigDocument(source, baseDirectory, new LinkedHashMap<>());
        doc.root.putAll((Map<String, Object>) deepCopy(root));
        return doc;
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> root() {
        return root;
    }

    /** The directory relative data paths are resolved against. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** An independent copy (maps and lists copied deeply) that keeps the locations: one per run of a sweep. */
    public ConfigDocument copy() {
        @SuppressWarnings("unchecked")
        Map<String, Object> copied = (Map<String, Object>) deepCopy(root);
        ConfigDocument c = new ConfigDocument(file, baseDirectory, copied);
        c.locations.putAll(locations);
        return c;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, deepCopy(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(deepCopy(v)));
            return out;
        }
        return value;
    }

    /** Where {@code path} (or its nearest enclosing value) was set: {@code file:line} or {@code --set key}. */
    public String locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            String loc = locations.get(p);
            if (loc != null) {
                return loc;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return file.toString();
    }

    /** Applies {@code key.path=value}; the value is read as YAML, so {@code [256, 128]} is a list. */
    public void override(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new UserError(ExitCode.CONFIG, "--set " + assignment + ": expected key.path=value");
        }
        String path = assignment.substring(0, eq).trim();
        String source = "--set " + path;
        set(path, parse(assignment.substring(eq + 1), source, path), source);
    }

    /**
     * Sets the value at dotted {@code path} (creating maps on the way) and remembers {@code source} as where it
     * came from, e.g. {@code --set optimizer.lr} or {@code sweep optimizer.lr}.
     */
    public void set(String path, Object value, String source) {
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new UserError(ExitCode.CONFIG, source + ": '" + path + "' is not a key path such as optimizer.lr");
        }
        String[] keys = path.split("\\.");
        Map<String, Object> node = root;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < keys.length - 1; i++) {
            at.append(i == 0 ? "" : ".").append(keys[i]);
            Object child = node.get(keys[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(keys[i], child);
                // A map the assignment created is the assignment's: an unknown key there blames it, not the file.
                locations.put(at.toString(), source);
            } else if (!(child instanceof Map)) {
                throw new UserError(ExitCode.CONFIG, source + ": " + at + " is not a map, cannot set " + path);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) child;
            node = next;
        }
        node.put(keys[keys.length - 1], deepCopy(value));
        locations.keySet().removeIf(p -> p.startsWith(path + ".") || p.startsWith(path + "["));
        locations.put(path, source);
    }

    private Object parse(String text, String source, String basePath) {
        JsonFactory yaml = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        try (JsonParser p = yaml.createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : new Reading(p, source, scalarAnchors(text)).value(basePath);
        } catch (StreamReadException e) {
            // Jackson's own message ends with "at [Source: ...]": the line number says it for people.
            String msg = e.getOriginalMessage().replaceAll("\\s+", " ");
            throw new UserError(ExitCode.CONFIG, source + (source.startsWith("--set") || e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr())
                    + ": not valid YAML/JSON: " + msg);
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, source + ": cannot parse: " + e.getMessage());
        }
    }

    /**
     * Jackson reports the anchors of maps and lists but not of scalars ({@code rate: &rate 0.1}); SnakeYAML's events,
     * which Jackson reads too, have them, keyed here by the character offset where the scalar starts.
     */
    private static Map<Long, String> scalarAnchors(String text) {
        Map<Long, String> out = new HashMap<>();
        if (text.indexOf('&') < 0) {
            return out;
        }
        try {
            for (Event e : new Yaml().parse(new StringReader(text))) {
                if (e instanceof ScalarEvent s && s.getAnchor() != null) {
                    out.put((long) s.getStartMark().getIndex(), s.getAnchor());
                }
            }
        } catch (YAMLException e) {
            // Jackson's parse, which follows, reports it with its line.
        }
        return out;
    }

    /** One parse: YAML anchors seen so far ({@code &rate 0.1}), for the aliases that repeat them ({@code *rate}). */
    private final class Reading {
        /** Aliases of aliases can double a document at each level; no config needs more values than this. */
        private static final int MAX_VALUES = 1_000_000;

        private final JsonParser p;
        private final String source;
        private final Map<Long, String> scalarAnchors;
        private final Map<String, Object> anchors = new HashMap<>();
        private int values;

        Reading(JsonParser p, String source, Map<Long, String> scalarAnchors) {
            this.p = p;
            this.source = source;
            this.scalarAnchors = scalarAnchors;
        }

        private String at() {
            return source + (source.startsWith("--set") ? "" : ":" + p.currentTokenLocation().getLineNr());
        }

        Object value(String path) throws IOException {
            if (!source.startsWith("--set")) {
                locations.put(path, at());
            }
            if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                String name = p.getText();
                if (!anchors.containsKey(name)) {
                    throw new UserError(ExitCode.CONFIG, at() + ": " + label(path) + "*" + name + " names no anchor (&" + name + ") above it");
                }
                count(anchors.get(name), path);
                return deepCopy(anchors.get(name));
            }
            String anchor = p.currentToken().isScalarValue() ? scalarAnchors.get(p.currentTokenLocation().getCharOffset())
                    : p.getObjectId() instanceof String a ? a : null;
            Object v = read(path);
            if (anchor != null) {
                anchors.put(anchor, v);
            }
            return v;
        }

        private Object read(String path) throws IOException {
            count(null, path);
            return switch (p.currentToken()) {
                case START_OBJECT -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    List<Object> merged = new ArrayList<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        String child = path.isEmpty() ? key : path + "." + key;
                        p.nextToken();
                        Object v = value(child);
                        if (key.equals("<<")) {
                            merged.add(v);
                        } else {
                            m.put(key, v);
                        }
                    }
                    merge(m, merged, path);
                    yield m;
                }
                case START_ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        list.add(value(path + "[" + list.size() + "]"));
                    }
                    yield list;
                }
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        throw new UserError(ExitCode.CONFIG, at() + ": " + label(path) + p.getText()
                                + " is too large for an integer (at most " + Long.MAX_VALUE + "); a real number is written like 1e20");
                    }
                    yield p.getLongValue();
                }
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> true;
                case VALUE_FALSE -> false;
                case VALUE_NULL -> null;
                default -> numberOrString(p.getText());
            };
        }

        /** YAML's merge key: {@code <<: *defaults} adds the keys the map does not set itself. */
        private void merge(Map<String, Object> m, List<Object> merged, String path) {
            for (Object v : merged) {
                for (Object one : v instanceof List<?> list ? list : List.of(v)) {
                    if (!(one instanceof Map<?, ?> defaults)) {
                        throw new UserError(ExitCode.CONFIG, at() + ": " + label(path) + "<< merges maps only, not " + one);
                    }
                    defaults.forEach((k, x) -> m.putIfAbsent(String.valueOf(k), x));
                }
            }
        }

        /** Counts one value read, or the values an alias repeats, before they are copied. */
        private void count(Object repeated, String path) {
            values += repeated == null ? 1 : size(repeated);
            if (values > MAX_VALUES) {
                throw new UserError(ExitCode.CONFIG, at() + ": " + label(path) + "the config holds more than " + MAX_VALUES
                        + " values (aliases repeating aliases?)");
            }
        }

        private static int size(Object v) {
            if (v instanceof Map<?, ?> m) {
                return 1 + m.values().stream().mapToInt(Reading::size).sum();
            }
            if (v instanceof List<?> l) {
                return 1 + l.stream().mapToInt(Reading::size).sum();
            }
            return 1;
        }

        private static String label(String path) {
            return path.isEmpty() ? "" : path + " = ";
        }
    }

    /** YAML 1.1 reads {@code 1e-3} as a string; a config means the number. */
    private static Object numberOrString(String s) {
        if (s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)")) {
            return Double.parseDouble(s);
        }
        return s;
    }
}

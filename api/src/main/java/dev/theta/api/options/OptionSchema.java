package dev.theta.api.options;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options a plugin accepts; validates raw config values into {@link Options}. */
public final class OptionSchema {
    private final Map<String, Option> options = new LinkedHashMap<>();

    private OptionSchema(List<Option> list) {
        for (Option o : list) {
            if (options.put(o.name(), o) != null) {
                throw new IllegalArgumentException("duplicate option " + o.name());
            }
        }
    }

    public static OptionSchema of(Option... options) {
        return new OptionSchema(List.of(options));
    }

    public Collection<Option> options() {
        return options.values();
    }

    public Option get(String name) {
        return options.get(name);
    }

    /**
     * Validates {@code raw} (values as parsed from YAML/JSON: numbers, booleans, strings, lists, maps) and fills
     * defaults. {@code prefix} is the config path of the plugin's block, used in error messages; keys in
     * {@code ignored} (such as the plugin's {@code name}) are skipped.
     */
    public Options validate(Map<String, ?> raw, String prefix, Collection<String> ignored) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            if (ignored.contains(e.getKey())) {
                continue;
            }
            Option o = options.get(e.getKey());
            String path = join(prefix, e.getKey());
            if (o == null) {
                throw new OptionException(path, "unknown option" + suggestion(e.getKey()) + "; known options: "
                        + (options.isEmpty() ? "none" : String.join(", ", options.keySet())));
            }
            values.put(o.name(), convert(o, e.getValue(), path));
        }
        for (Option o : options.values()) {
            if (!values.containsKey(o.name())) {
                if (o.required()) {
                    throw new OptionException(join(prefix, o.name()), "required option is missing (" + o.describeType() + ": " + o.doc() + ")");
                }
                values.put(o.name(), o.defaultValue());
            }
        }
        return new Options(prefix, values);
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private String suggestion(String key) {
        String best = Names.nearest(key, options.keySet());
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static Object convert(Option o, Object v, String path) {
        switch (o.type()) {
            case INT -> {
                if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || v instanceof Double && Double.isInfinite((Double) v)) {
                    throw new OptionException(path, v, "expected an integer");
                }
                checkRange(o, n.doubleValue(), path);
                // Ranges are open-ended in doubles; the value must also fit the int every integer option is read as.
                if (n.doubleValue() > Integer.MAX_VALUE || n.doubleValue() < Integer.MIN_VALUE) {
                    throw new OptionException(path, v, "must be at most " + Integer.MAX_VALUE + " (a 32-bit integer)");
                }
                return n.intValue();
            }
            case FLOAT -> {
                if (!(v instanceof Number n)) {
                    throw new OptionException(path, v, "expected a number");
                }
                checkRange(o, n.doubleValue(), path);
                return n.doubleValue();
            }
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw new OptionException(path, v, "expected true or false");
                }
                return b;
            }
            case STRING -> {
                if (!(v instanceof String || v instanceof Number)) {
                    throw new OptionException(path, v, "expected a string");
                }
                return v.toString();
            }
            case CHOICE -> {
                if (!(v instanceof String s) || !o.choices().contains(s)) {
                    String near = v instanceof String s ? Names.nearest(s, o.choices()) : null;
                    throw new OptionException(path, v, "expected one of " + String.join(", ", o.choices())
                            + (near == null ? "" : " (did you mean '" + near + "'?)"));
                }
                return s;
            }
            case INT_LIST, FLOAT_LIST -> {
                if (!(v instanceof List<?> list)) {
                    throw new OptionException(path, v, "expected a " + o.type().label());
                }
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Option element = new Option(o.name(), o.type() == OptionType.INT_LIST ? OptionType.INT : OptionType.FLOAT,
                            null, o.range(), List.of(), o.doc());
                    out.add(convert(element, list.get(i), path + "[" + i + "]"));
                }
                return List.copyOf(out);
            }
            case LIST -> {
                if (!(v instanceof List<?> list)) {
                    throw new OptionException(path, v, "expected a list");
                }
                return Collections.unmodifiableList(new ArrayList<>(list));
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?>)) {
                    throw new OptionException(path, v, "expected a map");
                }
                return v;
            }
            default -> throw new IllegalStateException(o.type().toString());
        }
    }

    private static void checkRange(Option o, double v, String path) {
        if (!o.range().contains(v)) {
            throw new OptionException(path, v, "must be in " + o.range());
        }
    }

    static String render(Object v) {
        if (v instanceof java.util.Map<?, ?>) {
            return "a map";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }
}

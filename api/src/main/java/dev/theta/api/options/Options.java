package dev.theta.api.options;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Validated option values of one plugin, with defaults filled in. */
public final class Options {
    private final String prefix;
    private final Map<String, Object> values;

    public Options(String prefix, Map<String, Object> values) {
        this.prefix = prefix;
        this.values = Collections.unmodifiableMap(values);
    }

    /** The config path of the plugin's block, for messages about combinations of options. */
    public String prefix() {
        return prefix;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public int getInt(String name) {
        return ((Number) require(name)).intValue();
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public boolean getBool(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<Number> getList(String name) {
        return (List<Number>) require(name);
    }

    /** A {@link OptionType#LIST} option: its elements as parsed (strings, numbers, booleans, lists, maps). */
    public List<?> getItems(String name) {
        return (List<?>) require(name);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String name) {
        return (Map<String, Object>) require(name);
    }

    private Object require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no option '" + name + "' in " + prefix);
        }
        Object v = values.get(name);
        if (v == null) {
            throw new OptionException(prefix + "." + name, "option has no value");
        }
        return v;
    }

    @Override
    public String toString() {
        return prefix + values;
    }
}

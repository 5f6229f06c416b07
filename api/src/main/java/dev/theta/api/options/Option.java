package dev.theta.api.options;

import java.util.List;

/**
 * One option of a plugin: its name in configs, type, default (null = required unless {@code optional}), allowed
 * range for numbers (applied to each element of a list), choices for {@link OptionType#CHOICE}, and a one-line doc.
 * An optional option without a default is absent from the validated {@link Options} when not given.
 */
public record Option(String name, OptionType type, Object defaultValue, Range range, List<String> choices, String doc,
                     boolean optional) {

    public Option(String name, OptionType type, Object defaultValue, Range range, List<String> choices, String doc) {
        this(name, type, defaultValue, range, choices, doc, false);
    }

    /** This option, allowed to be left out even though it has no default. */
    public Option asOptional() {
        return new Option(name, type, defaultValue, range, choices, doc, true);
    }

    public static Option integer(String name, Integer defaultValue, Range range, String doc) {
        return new Option(name, OptionType.INT, defaultValue, range, List.of(), doc);
    }

    public static Option number(String name, Double defaultValue, Range range, String doc) {
        return new Option(name, OptionType.FLOAT, defaultValue, range, List.of(), doc);
    }

    public static Option bool(String name, boolean defaultValue, String doc) {
        return new Option(name, OptionType.BOOL, defaultValue, Range.ANY, List.of(), doc);
    }

    public static Option string(String name, String defaultValue, String doc) {
        return new Option(name, OptionType.STRING, defaultValue, Range.ANY, List.of(), doc);
    }

    public static Option choice(String name, String defaultValue, List<String> choices, String doc) {
        return new Option(name, OptionType.CHOICE, defaultValue, Range.ANY, List.copyOf(choices), doc);
    }

    public static Option intList(String name, List<Integer> defaultValue, Range range, String doc) {
        return new Option(name, OptionType.INT_LIST, defaultValue, range, List.of(), doc);
    }

    public static Option numberList(String name, List<Double> defaultValue, Range range, String doc) {
        return new Option(name, OptionType.FLOAT_LIST, defaultValue, range, List.of(), doc);
    }

    /** A list whose elements the plugin validates itself, naming the element's index in its errors. */
    public static Option list(String name, List<?> defaultValue, String doc) {
        return new Option(name, OptionType.LIST, defaultValue, Range.ANY, List.of(), doc);
    }

    public static Option map(String name, String doc) {
        return new Option(name, OptionType.MAP, null, Range.ANY, List.of(), doc, true);
    }

    public boolean required() {
        return defaultValue == null && !optional;
    }

    /** "number in (0, inf), default 0.1" — for help texts and error messages. */
    public String describeType() {
        String t = type == OptionType.CHOICE ? "one of " + String.join(", ", choices) : type.label();
        if (range != Range.ANY) {
            t += " in " + range;
        }
        return t;
    }
}

package dev.theta.api.options;

/** The value types an option can take in a config file. */
public enum OptionType {
    INT("integer"),
    FLOAT("number"),
    BOOL("boolean"),
    STRING("string"),
    /** One of a fixed set of strings. */
    CHOICE("one of"),
    INT_LIST("list of integers"),
    FLOAT_LIST("list of numbers"),
    /** A nested map, validated by the plugin itself (dataset sources, for example). */
    MAP("map"),
    /** A list of strings, numbers and maps, validated by the plugin itself (a network's layers, for example). */
    LIST("list");

    private final String label;

    OptionType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

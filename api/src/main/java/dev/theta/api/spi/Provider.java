package dev.theta.api.spi;

import dev.theta.api.options.OptionSchema;

/** What every plugin provider has: a unique name used in configs, a one-line description and its options. */
public interface Provider {
    /** Short unique name within its kind, such as {@code cross-entropy}. */
    String name();

    /** One line for {@code theta plugins}. */
    String description();

    /** The options the plugin accepts. */
    OptionSchema options();
}

package dev.theta.api.spi;

import dev.theta.api.options.Options;

/** Creates an exporter; its name is the {@code export.format} of a config. */
public interface ExporterProvider extends Provider {
    Exporter create(Options options);
}

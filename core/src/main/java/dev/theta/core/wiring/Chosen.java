package dev.theta.core.wiring;

import dev.theta.api.options.Options;
import dev.theta.api.spi.Provider;

/** A provider picked by the config, with its validated options. */
public record Chosen<P extends Provider>(P provider, Options options) {
}

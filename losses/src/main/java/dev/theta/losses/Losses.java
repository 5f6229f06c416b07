package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;

/** Checks shared by the loss providers. */
final class Losses {
    private Losses() {
    }

    static void requireClasses(DataSpec data, Options options, int min) {
        if (!data.isClassification() || data.classes() < min) {
            throw new OptionException(options.prefix(), "this loss needs class-index targets with at least " + min
                    + " classes, but the data has " + (data.isClassification() ? data.classes() + " class(es)" : "real-valued targets"));
        }
    }
}

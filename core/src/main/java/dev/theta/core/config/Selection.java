package dev.theta.core.config;

import dev.theta.api.options.OptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which epoch's model a run keeps ({@code train.select}): the best by {@code metric} ({@code split.name}), read
 * after every epoch. Selection reads the validation split; a test metric is refused unless the config says
 * {@value #ON_TEST}, since choosing a model by its test score tunes on the test split.
 */
public record Selection(String metric, boolean minimise, double minDelta) {
    /** The option, in {@code train.early-stopping} and {@code sweep}, that allows selecting on a test metric. */
    public static final String ON_TEST = "select-on-test";
    private static final Logger LOG = LoggerFactory.getLogger(Selection.class);

    /**
     * The selection for {@code train.select = select}; null keeps the last epoch. {@code best} uses the
     * early-stopping metric when there is one, else the validation loss.
     */
    static Selection of(String select, RunConfig.EarlyStopping stopping, boolean hasValidation) {
        boolean best = switch (select) {
            case "best" -> true;
            case "last" -> false;
            default -> stopping != null || hasValidation;
        };
        if (!best) {
            return null;
        }
        if (stopping != null) {
            return new Selection(stopping.metric(), stopping.minimise(), stopping.minDelta());
        }
        if (!hasValidation) {
            throw new OptionException("train.select", select, "keeping the best epoch needs a validation split"
                    + " (data.validation-fraction: 0.1, or data.validation) or train.early-stopping");
        }
        return new Selection("validation.loss", true, 0);
    }

    /** Refuses a test metric unless allowed, and a validation metric without a validation split. */
    public static void check(String path, String metric, boolean onTest, boolean hasValidation) {
        if (metric.startsWith("test.")) {
            if (!onTest) {
                throw new OptionException(path + ".metric", metric, "selecting on the test split tunes on it; watch a"
                        + " validation metric (add data.validation-fraction: 0.1) or set " + path + "." + ON_TEST + ": true");
            }
            LOG.warn("{}.metric = {}: selecting on the test split ({}: true); its test scores are no longer an unbiased estimate",
                    path, metric, ON_TEST);
        }
        if (metric.startsWith("validation.") && !hasValidation) {
            throw new OptionException(path + ".metric", metric, "needs a validation split: add data.validation-fraction: 0.1"
                    + " or data.validation");
        }
    }

    /** The split the metric is read from. */
    public String split() {
        return metric.substring(0, metric.indexOf('.'));
    }

    /** The metric's name within its split. */
    public String name() {
        return metric.substring(metric.indexOf('.') + 1);
    }
}

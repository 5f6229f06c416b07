package dev.theta.spark;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.Executable;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.tensor.Shape;
import dev.theta.core.engine.StepEngine;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code distributed: {engine: spark, ...}}: the training loop's steps as synchronous data-parallel SGD on Spark
 * ({@link SyncSteps}). The driver's state is the loop's: before each step the parameters and optimizer state are
 * taken from the loop's step executable, after it the next ones are put back, so the loop's checkpoints hold the
 * driver's state and {@code --resume} continues a run exactly.
 */
public final class SparkEngine implements StepEngine {
    /** local, local[N], local[*], local[N,F], local[*,F]; spark://HOST:PORT[,HOST:PORT...]. */
    private static final Pattern MASTER = Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?])?|spark://[^\\s/:,]+:\\d+(,[^\\s/:,]+:\\d+)*");
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.string("master", null, "Spark master: local[N] (embedded, N cores) or spark://HOST:PORT; omitted under"
                    + " spark-submit, which gives it").asOptional(),
            Option.integer("partitions", null, Range.atLeast(1),
                    "shards of the training set, one Spark partition each (default: the context's default parallelism)").asOptional());

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public void check(Options options) {
        if (options.has("master") && !MASTER.matcher(options.getString("master")).matches()) {
            throw new OptionException("distributed.master", options.getString("master"),
                    "expected local[N], local[*] or spark://HOST:PORT (for YARN or Kubernetes, run theta with spark-submit and omit it)");
        }
    }

    @Override
    public Steps start(Run run, Options options) {
        refuseInexact(run);
        List<String> carried = List.copyOf(run.step().carries().values());
        JavaSparkContext spark = context(options, run.name());
        try {
            int partitions = options.has("partitions") ? options.getInt("partitions") : spark.defaultParallelism();
            ConfigSource source = new ConfigSource(run.config(), run.train().spec());
            SyncSteps steps = new SyncSteps(spark, UUID.randomUUID().toString(), source, run.train(), partitions,
                    run.loss(), run.optimizer(), run.parameters(), run.clipGradNorm());
            Set<String> carries = new HashSet<>(steps.update().carries().values());
            if (!carries.equals(new HashSet<>(carried))) {
                // E.g. dropout's random stream, which the gradient graph does not have.
                Set<String> extra = new HashSet<>(carried);
                extra.removeAll(carries);
                steps.close();
                throw new OptionException("distributed.engine", "spark", "the step carries " + extra
                        + ", which data-parallel SGD does not (only parameters and optimizer state); train this model locally");
            }
            return new DriverSteps(spark, steps, carried);
        } catch (RuntimeException e) {
            spark.close();
            throw e;
        }
    }

    /**
     * Refuses what sharding a batch would change: a loss that scores each example against the others of its batch
     * (shards would not see each other), and dropout (the gradient graph draws no masks).
     */
    private static void refuseInexact(Run run) {
        if (run.loss().scores(run.train().spec()) == Shape.BATCH) {
            throw new OptionException("distributed.engine", "spark", "the loss scores each example against the others"
                    + " of its batch, which the shards of a batch do not see; train this model locally");
        }
        if (run.step().nodes().stream().anyMatch(v -> v.op() instanceof RandomBits)) {
            throw new OptionException("distributed.engine", "spark", "the hypothesis uses dropout, which the gradient"
                    + " graph of a shard does not apply yet; train this model locally, or set its dropout to 0");
        }
    }

    /**
     * The context of a run: with {@code master} given, one theta starts itself, bound to 127.0.0.1 ({@link EmbeddedSpark});
     * without, the one spark-submit configures (its {@code spark.*} system properties), or {@code local[*]}.
     */
    private static JavaSparkContext context(Options options, String name) {
        if (options.has("master")) {
            return EmbeddedSpark.start(options.getString("master"), "theta " + name);
        }
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            return EmbeddedSpark.start("local[*]", "theta " + name);
        }
        return new JavaSparkContext(conf.setIfMissing("spark.app.name", "theta " + name));
    }

    /** The steps of one run: the loop's state copied in before each step and out after it. */
    private record DriverSteps(JavaSparkContext spark, SyncSteps steps, List<String> carried) implements Steps {
        @Override
        public Outcome step(Executable state, int[] order, int from, int count, long step, float lr) {
            Executable driver = steps.state();
            for (String name : carried) {
                driver.input(name).copyFrom(state.input(name));
            }
            Outcome outcome = steps.step(order, from, count, step, lr);
            for (String name : carried) {
                state.input(name).copyFrom(driver.input(name));
            }
            return outcome;
        }

        @Override
        public void close() {
            try {
                steps.close();
            } finally {
                spark.close();
            }
        }
    }
}

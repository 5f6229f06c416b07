package dev.theta.runner.cli;

import dev.theta.core.config.ConfigErrors;
import com.google.inject.Injector;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginException;
import dev.theta.core.Errors;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.RunConfig;
import dev.theta.runner.report.SweepReport;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;
import dev.theta.core.training.Progress;
import dev.theta.core.training.QuietProgress;
import dev.theta.runner.cli.TerminalProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code theta sweep CONFIG}: one run per point of the config's {@code sweep.grid}, each in its own directory under
 * the sweep's, then {@code sweep.csv}, {@code sweep.md} and {@code report.html} sorted by {@code sweep.metric}.
 * Every combination is checked before the first run starts. A run that diverges is recorded and the sweep goes on;
 * the sweep's exit code is that of the first run that failed otherwise (130 when interrupted), else 0.
 */
@Command(name = "sweep", description = "Train one run per combination of the config's sweep grid and summarise them.", mixinStandardHelpOptions = true)
public final class SweepCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A config with a sweep: block (YAML or JSON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value of every run (repeatable; values are YAML).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default: runs/<name>); run i goes to DIR/<combination>.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing sweep directory instead of refusing.")
    boolean overwrite;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1", description = "Runs at a time (default 1).")
    int parallel;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (parallel < 1) {
            throw new UserError(ExitCode.CONFIG, "--parallel " + parallel + ": must be at least 1");
        }
        ConfigDocument base = ConfigDocument.read(config);
        overrides.forEach(base::override);
        SweepPlan plan = SweepPlan.of(base);
        String name = ConfigErrors.located(base, () -> RunConfig.from(withoutSweep(base).root(), defaultName()).name());
        RunDirectory sweepDir = new RunDirectory(out != null ? out : Path.of("runs", name), overwrite);
        sweepDir.checkUsable();
        List<SweepPlan.Combination> combinations = plan.combinations();
        Progress progress = parallel == 1 && Terminal.interactive() ? new TerminalProgress() : new QuietProgress();
        List<Injector> injectors = new ArrayList<>();
        for (SweepPlan.Combination c : combinations) {
            ConfigDocument doc = c.apply(base, name + "-" + c.name());
            injectors.add(ConfigErrors.located(doc, () -> {
                Injector injector = Runs.injector(doc, sweepDir.path().resolve(c.name()), false, progress);
                Runs.check(injector, true);
                return injector;
            }));
        }
        sweepDir.createEmpty();
        try {
            return runAll(name, plan, combinations, injectors, sweepDir);
        } finally {
            sweepDir.close();
        }
    }

    private int runAll(String name, SweepPlan plan, List<SweepPlan.Combination> combinations, List<Injector> injectors,
                       RunDirectory sweepDir) throws IOException, InterruptedException {
        LOG.info("sweep {}: {} runs, {} at a time, writing to {}", name, combinations.size(), parallel, sweepDir.path());
        List<SweepResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<SweepResult>> futures = new ArrayList<>();
            for (int i = 0; i < combinations.size(); i++) {
                SweepPlan.Combination c = combinations.get(i);
                Injector injector = injectors.get(i);
                futures.add(pool.submit(() -> run(c, injector, sweepDir.path().resolve(c.name()))));
            }
            for (Future<SweepResult> f : futures) {
                results.add(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep run failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        SweepReport.write(sweepDir, name, plan, results);
        SweepResult best = SweepReport.sorted(plan, results).get(0);
        if (Double.isNaN(best.metric(plan.metric()))) {
            System.out.printf("sweep %s: %d runs, none with a %s to rank by (every run failed); summary %s%n", name,
                    results.size(), plan.metric(), sweepDir.path().resolve("sweep.md"));
        } else {
            System.out.printf("sweep %s: %d runs; best by %s: %s (%s); summary %s%n", name, results.size(), plan.metric(),
                    best.combination().name(), best.metric(plan.metric()), sweepDir.path().resolve("sweep.md"));
        }
        return exitCode(results);
    }

    private SweepResult run(SweepPlan.Combination c, Injector injector, Path dir) {
        try {
            if (Runs.interrupted()) {
                return new SweepResult(c, dir.toString(), "interrupted", "not started: the sweep was interrupted", List.of(), 0);
            }
            Runs.Finished f = Runs.train(injector, null);
            return new SweepResult(c, dir.toString(), f.result().stoppedEarly() ? "stopped-early" : "ok", null, f.result().history(),
                    f.result().selectedEpoch());
        } catch (RuntimeException e) {
            Throwable t = Errors.unwrap(e);
            ExitCode code;
            if (t instanceof UserError u) {
                code = u.exitCode();
            } else if (t instanceof OptionException) {
                code = ExitCode.CONFIG;
            } else if (t instanceof PluginException) {
                code = ExitCode.PLUGIN;
            } else {
                throw e;
            }
            String status = switch (code) {
                case DIVERGED -> "diverged";
                case INTERRUPTED -> "interrupted";
                default -> "failed (exit " + code.code() + ")";
            };
            LOG.warn("sweep run {} {}: {}", c.name(), status, t.getMessage());
            return new SweepResult(c, dir.toString(), status, t.getMessage(), Runs.history(dir), 0);
        }
    }

    private static int exitCode(List<SweepResult> results) {
        if (results.stream().anyMatch(r -> r.status().equals("interrupted"))) {
            return ExitCode.INTERRUPTED.code();
        }
        for (SweepResult r : results) {
            if (r.status().startsWith("failed (exit ")) {
                return Integer.parseInt(r.status().replaceAll("\\D", ""));
            }
        }
        return ExitCode.OK.code();
    }

    private String defaultName() {
        return config.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    }

    private static ConfigDocument withoutSweep(ConfigDocument base) {
        ConfigDocument doc = base.copy();
        doc.root().remove(SweepPlan.KEY);
        return doc;
    }
}

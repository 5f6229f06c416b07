package dev.theta.runner.cli;

import dev.theta.api.registry.PluginException;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.registry.Registered;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.runner.plugins.CheckResult;
import dev.theta.runner.plugins.PluginChecks;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.runner.plugins.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code theta check NAME}: checks a plugin on small random problems (losses, hypotheses, optimizers: gradients
 * against finite differences, CPU against the double reference, ONNX Runtime against CPU, the exported model in
 * ONNX Runtime; backends: the conformance suite) and prints a PASS/FAIL table.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a plugin: gradients, backends agreeing, export (losses, hypotheses, optimizers), or the conformance suite (backends).")
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The plugin to check (as theta plugins lists it).")
    String name;

    @Option(names = "--kind", paramLabel = "KIND", description = "The plugin's kind, where several kinds share the name.")
    String kind;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginDirectories.registry();
        List<Registered<?>> targets = new ArrayList<>();
        for (PluginKind k : PluginKind.values()) {
            if (kind == null || k.label().equals(kind)) {
                registry.find(k, name).ifPresent(targets::add);
            }
        }
        if (targets.isEmpty()) {
            for (PluginKind k : PluginKind.values()) {
                String reason = registry.brokenReason(k, name);
                if (reason != null && (kind == null || k.label().equals(kind))) {
                    throw new PluginException(reason);
                }
            }
            throw new PluginException("no plugin named '" + name + "'" + (kind == null ? "" : " of kind " + kind)
                    + "; theta plugins lists them");
        }
        PluginChecks checks = new PluginChecks(registry);
        List<String> failed = new ArrayList<>();
        for (Registered<?> target : targets) {
            PluginChecks.Report report = checks.check(target);
            System.out.println("theta check: " + target.kind().label() + " '" + target.name() + "' (" + target.source() + ")"
                    + (report.setup().isEmpty() ? "" : " on " + report.setup()));
            TextTable table = new TextTable("CHECK", "RESULT", "DETAIL");
            for (CheckResult r : report.results()) {
                table.row(r.check(), r.status().name(), r.detail());
            }
            table.print(System.out);
            report.failed().forEach(f -> failed.add(target.kind().label() + " '" + target.name() + "': " + f));
        }
        if (!failed.isEmpty()) {
            throw new UserError(ExitCode.PLUGIN, String.format(Locale.ROOT, "%d check(s) failed: %s", failed.size(), String.join(", ", failed)));
        }
        return 0;
    }
}

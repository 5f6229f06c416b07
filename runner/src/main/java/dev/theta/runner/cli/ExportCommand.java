package dev.theta.runner.cli;

import dev.theta.core.config.ConfigErrors;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.run.ModelExport;
import dev.theta.core.run.Npz;
import dev.theta.core.run.Provenance;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.PluginsModule;
import dev.theta.core.wiring.StoredRunModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code theta export RUN_DIR}: writes the model of a finished run again, from its saved parameters. */
@Command(name = "export", description = "Export the trained model of a run directory (model.onnx by default).", mixinStandardHelpOptions = true)
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by theta train.")
    Path runDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a value of the run's config, e.g. --set export.format=onnx (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--format", paramLabel = "NAME", description = "Exporter to use (default: the run's, or onnx when the run had export: none).")
    String format;

    @Override
    public Integer call() throws IOException {
        for (String needed : new String[] {"config.yaml", "parameters.npz"}) {
            if (!Files.isRegularFile(runDir.resolve(needed))) {
                throw new UserError(ExitCode.DATA, runDir + ": no " + needed + "; is this a finished theta run directory?");
            }
        }
        ConfigDocument doc = ConfigDocument.read(runDir.resolve("config.yaml"));
        overrides.forEach(doc::override);
        Object export = doc.root().get("export");
        if (format != null || !(export instanceof Map<?, ?>)) {
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("format", format != null ? format : "onnx");
            doc.root().put("export", section);
        }
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        Npz.read(runDir.resolve("parameters.npz")).forEach((name, value) -> parameters.put("param/" + name, value));
        Path provenanceFile = runDir.resolve(Provenance.FILE);
        Map<String, String> metadata = Files.isRegularFile(provenanceFile) ? Provenance.read(provenanceFile) : Map.of();
        Path written = ConfigErrors.located(doc, () -> {
            Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                    new PluginsModule(PluginDirectories.registry(doc)),
                    new ExperimentModule(doc),
                    new StoredRunModule(runDir));
            try (RunDirectory dir = injector.getInstance(RunDirectory.class)) {
                dir.reopen();
                return injector.getInstance(ModelExport.class).write(parameters, metadata).orElseThrow();
            }
        });
        System.out.println("wrote " + written);
        return 0;
    }
}
